"""The organisation and proposal pages a supplier uses, in each state, audited by axe-core for WCAG 2.2 A/AA and for
anything the Content-Security-Policy blocked.
Each test checks it reached every URL name ``url_names.AUDITS`` lists for it (test_page_audit.py)."""

from datetime import timedelta

from django.utils import timezone

from accounts.tokens import invitation_token
from submissions.models import ProposalStatus
from tests.factories import UserFactory
from tests.factories.organisations import InvitationFactory, make_organisation
from tests.factories.submissions import make_proposal, standard_question_set

from .helpers import AUDIT_MARKS, challenge_like, click, go, sign_in_as
from .url_names import AUDITS

pytestmark = AUDIT_MARKS


def test_organisation_pages(page, live_server, demo_site, audit, axe):
    owner = UserFactory(email="ada@brumtech.example", verified=True)
    member = UserFactory(email="bob@brumtech.example", verified=True)
    organisation = make_organisation(member, owner=owner)
    invitation = InvitationFactory(organisation=organisation, invited_by=owner, email="cat@brumtech.example")
    stranger = UserFactory(email="cat@brumtech.example", verified=True)
    other = make_organisation(name="Kind Homes CIC", owner=UserFactory(verified=True))

    sign_in_as(page, live_server, owner)
    audit.visit("/organisations/", "organisations")
    audit.visit("/organisations/new/", "organisation-create")
    audit.errors(page.get_by_role("button").filter(has_text="organisation").first, "organisation-create-errors")
    audit.visit(f"/organisations/{organisation.slug}/", "organisation")
    audit.visit(f"/organisations/{organisation.slug}/edit/", "organisation-edit")
    audit.visit(f"/organisations/{organisation.slug}/invite/", "organisation-invite")
    page.get_by_label("Email address").fill("not an email")
    audit.errors(page.locator("main form").get_by_role("button").last, "organisation-invite-errors")
    audit.visit(f"/organisations/{organisation.slug}/invitations/{invitation.pk}/revoke/", "invitation-revoke")
    membership = organisation.memberships.get(user=member)
    audit.visit(f"/organisations/{organisation.slug}/members/{membership.pk}/remove/", "member-remove")
    response = go(page, live_server, f"/organisations/{other.slug}/")
    assert response.status in (403, 404)
    audit("organisation-forbidden")

    sign_in_as(page, live_server, member)
    audit.visit(f"/organisations/{organisation.slug}/leave/", "organisation-leave")

    sign_in_as(page, live_server, stranger)
    audit.visit(f"/organisations/invitations/{invitation_token(invitation)}/", "invitation-accept")
    audit.visit("/organisations/invitations/not-a-token/", "invitation-unavailable")
    audit.reached_all(AUDITS["organisation_pages"])


def test_supplier_proposal_pages(page, live_server, demo_site, supplier_on_challenge, audit, axe, tmp_path):
    challenge = supplier_on_challenge
    audit.visit("/proposals/", "proposals-empty")
    audit.visit(f"/proposals/start/{challenge.pk}/", "proposal-start")
    click(page, page.get_by_role("button", name="Start proposal"))
    audit("proposal-task-list")
    proposal_url = page.url.removeprefix(live_server.url)
    audit.visit(f"{proposal_url}section/0/", "proposal-section-about")
    audit.visit(f"{proposal_url}section/1/", "proposal-section-solution")
    page.get_by_label("Describe your solution").fill(" ".join(["word"] * 60))
    page.get_by_label("Cost of the pilot").fill("999999")
    audit.errors(page.get_by_role("button", name="Save and continue"), "proposal-section-solution-errors")
    audit.visit(f"{proposal_url}section/2/", "proposal-section-delivery")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2027")
    audit.errors(
        page.get_by_role("button", name="Save and return to your proposal"), "proposal-section-delivery-errors"
    )
    audit.visit(f"{proposal_url}check/", "proposal-check-answers-incomplete")

    audit.visit(f"/questions/ask/{challenge.pk}/", "clarification-ask")
    audit.errors(page.get_by_role("button").filter(has_text="question").first, "clarification-ask-errors")
    page.get_by_label("Your question").fill("Can a consortium apply?")
    click(page, page.get_by_role("button").filter(has_text="question").first)
    go(page, live_server, "/questions/mine/")
    assert "Can a consortium apply?" in page.locator("main").inner_text()
    audit("clarifications-mine")
    closed = challenge_like(
        demo_site, "closed-for-questions", opens_at=timezone.now() - timedelta(days=30), closes_at=timezone.now()
    )
    audit.visit(f"/questions/ask/{closed.pk}/", "clarification-closed")
    audit.visit(f"/proposals/start/{closed.pk}/", "proposal-closed")
    audit.reached_all(AUDITS["supplier_proposal_pages"])


def test_submitted_proposal_pages(page, live_server, demo_site, audit, axe):
    challenge = challenge_like(demo_site, "still-open", proposal_questions=standard_question_set())
    supplier = UserFactory(email="ada@brumtech.example", verified=True)
    proposal = make_proposal(challenge, supplier=supplier, title="Early warning", status=ProposalStatus.SUBMITTED)
    sign_in_as(page, live_server, supplier)
    audit.visit("/proposals/", "proposals")
    audit.visit(f"/proposals/{proposal.pk}/", "proposal-submitted")
    audit.visit(f"/proposals/{proposal.pk}/submitted/{proposal.stage_id}/1/", "proposal-receipt")
    audit.visit(f"/proposals/{proposal.pk}/withdraw/", "proposal-withdraw")
    audit.reached_all(AUDITS["submitted_proposal_pages"])
