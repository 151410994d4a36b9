"""The pages stages bring, audited by axe-core (WCAG 2.2 A/AA), for blocked content, and at 320 px wide: a
challenge in stages, a supplier taken forward (earlier answers beside the new stage), booking a pitch slot, the
judges' pitch day schedule and a supplier's due-diligence evidence page.
Each test checks it reached every URL name ``url_names.AUDITS`` lists for it (test_page_audit.py)."""

from judging.models import DueDiligenceItem
from judging.services.due_diligence import due_diligence_checklist, due_diligence_request_evidence
from submissions.models import ProposalStatus
from submissions.progression import proposal_take_forward
from tests.factories.stages import build_staged_scene
from tests.judging.test_pitch_scene import add_slots, book_directly, build_pitch_scene

from .helpers import AUDIT_MARKS, click, sign_in_as
from .url_names import AUDITS

pytestmark = AUDIT_MARKS


def test_stage_pages(page, live_server, demo_site, audit, axe):
    staged = build_staged_scene(demo_site.sponsor_index, demo_site.challenge.sponsor)
    audit.visit(staged.challenge.url, "challenge-in-stages")
    proposal_take_forward(proposal=staged.forward, by=staged.manager)
    sign_in_as(page, live_server, staged.supplier)
    audit.visit(f"/proposals/{staged.forward.pk}/", "proposal-in-a-later-stage")

    scene = build_pitch_scene(demo_site.listing, demo_site.sponsor_index, demo_site.challenge.sponsor)
    slots = add_slots(scene.stage, 4, start=scene.day)
    book_directly(slots[1], scene.rival, scene.rival_supplier)
    sign_in_as(page, live_server, scene.supplier)
    audit.visit(f"/proposals/{scene.proposal.pk}/", "proposal-invited-to-pitch")
    audit.visit(f"/judging/pitch/proposals/{scene.proposal.pk}/", "pitch-booking")
    audit.errors(page.get_by_role("button", name="Book this slot"), "pitch-booking-errors")
    page.get_by_label("10am", exact=False).first.check()
    click(page, page.get_by_role("button", name="Book this slot"))
    audit("pitch-booked")

    sign_in_as(page, live_server, scene.judge)
    audit.visit(f"/judging/pitch/{scene.stage.pk}/schedule/", "pitch-schedule")

    scene.proposal.status = ProposalStatus.SHORTLISTED
    scene.proposal.save()
    due_diligence_checklist(proposal=scene.proposal)
    insurance = DueDiligenceItem.objects.get(proposal=scene.proposal, due_diligence_check__name="Insurance")
    due_diligence_request_evidence(item=insurance, note="Your public liability certificate.", by=scene.manager)
    sign_in_as(page, live_server, scene.supplier)
    audit.visit(f"/judging/due-diligence/{scene.proposal.pk}/", "due-diligence-evidence")
    audit.reached_all(AUDITS["stage_pages"])
