"""The pages pilots bring, audited by axe-core (WCAG 2.2 A/AA), for blocked content, and at 320 px wide: the
supplier's proposal page with its pilot, the pilot's milestones, a report (empty, with errors, submitted), and the
manager's Pilots tab, pilot page and Pilots menu in the admin, found by their visible labels.
The test checks it reached every URL name ``url_names.AUDITS`` lists for it (test_page_audit.py)."""

from pilots.services.setup import pilot_status_set
from tests.factories.pilot_setup import build_pilot_scene, report_accepted

from .helpers import AUDIT_MARKS, click, heading, sign_in_as, sign_out
from .test_whole_journey import sign_in_with_two_factor
from .url_names import AUDITS

pytestmark = AUDIT_MARKS


def test_pilot_pages(page, live_server, demo_site, audit, axe):
    scene = build_pilot_scene(demo_site.sponsor_index, demo_site.challenge.sponsor)
    sign_in_as(page, live_server, scene.supplier)
    audit.visit(f"/proposals/{scene.proposal.pk}/", "proposal-with-pilot")
    click(page, page.get_by_role("link", name="See your pilot's milestones and reports"))
    assert heading(page) == "Your pilot"
    audit("pilot")
    click(page, page.get_by_role("link", name="Write the report on Milestone 1"))
    assert heading(page) == "Report on Milestone 1"
    audit("pilot-report")
    page.get_by_label("Progress on this milestone").fill("We found 140 households at risk.")
    page.get_by_label("Households identified before crisis (current value)").fill("about 140")
    audit.errors(page.get_by_role("button", name="Save as draft"), "pilot-report-errors")
    assert page.get_by_label("Progress on this milestone").input_value() == "We found 140 households at risk."
    page.get_by_label("Households identified before crisis (current value)").fill("140")
    page.get_by_label("Caseworker hours per referral (current value)").fill("4")
    click(page, page.get_by_role("button", name="Submit report"))
    assert "was sent to the challenge's managers" in page.locator("main").inner_text()
    audit("pilot-report-submitted")

    sign_out(page)
    sign_in_with_two_factor(page, live_server, scene.manager, f"/admin/judging/{scene.challenge.pk}/decisions/")
    click(page, page.get_by_role("link", name="Pilots", exact=True).last)
    axe.audit(page, "audit/admin-pilots-tab")
    click(page, page.get_by_role("link", name="Open the pilot"))
    axe.audit(page, "audit/admin-pilot")
    section = page.locator("#reports")
    section.get_by_label("Ask for changes").check()
    section.get_by_label("Comment to the supplier").fill("Say how many households were referred on.")
    click(page, section.get_by_role("button", name="Record the decision on Milestone 1"))
    assert "Changes to the report on Milestone 1 were requested" in page.locator("body").inner_text()
    axe.audit(page, "audit/admin-pilot-reviewed")
    page.goto(live_server.url + "/admin/pilots/")
    axe.audit(page, "audit/admin-pilots-index")
    audit.reached_all(AUDITS["pilot_pages"])


def test_the_public_scorecard(page, live_server, demo_site, audit):
    scene = build_pilot_scene(demo_site.sponsor_index, demo_site.challenge.sponsor)
    report_accepted(scene, scene.milestones[0], {"Households identified before crisis": 140})
    pilot_status_set(pilot=scene.pilot, status="at_risk", reason="The data sharing agreement lapsed.", by=scene.manager)
    audit.visit(f"/archive/winners/{scene.proposal.pk}/", "winner-with-scorecard")
    main = page.locator("main")
    assert "The data sharing agreement lapsed." in main.inner_text()
    assert main.get_by_role("img", name="Households identified before crisis: baseline 0, target 200").count() == 1
    assert "Caseworker hours per referral" not in main.inner_text()  # not public
    audit.visit(scene.challenge.url, "challenge-with-pilot")
    audit.visit("/archive/?q=&pilot=at_risk", "archive-pilot-filter")
    assert "Pilot status" in page.locator("main").inner_text()
