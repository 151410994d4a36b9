"""A supplier drafts, fixes a mistake, uploads a PDF, checks, submits and withdraws, in a real browser,
with every page of the journey audited by axe-core and screenshotted."""

import pytest
from django.core import mail

from submissions.models import Proposal

from .helpers import PDF

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("built_assets"),
]


def test_supplier_submits_and_withdraws_a_proposal(page, live_server, supplier_on_challenge, axe, tmp_path):
    challenge = supplier_on_challenge
    page.goto(live_server.url + challenge.url)
    page.get_by_role("button", name="Start a proposal").click()
    axe.audit(page, "proposal-start")
    page.get_by_role("button", name="Start proposal").click()

    axe.audit(page, "proposal-task-list")
    page.get_by_role("link", name="About your proposal").click()
    page.get_by_label("Proposal title").fill("Early Help Finder")
    page.get_by_label("Public summary").fill("Finds households at risk of losing their home.")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_label("Describe your solution").fill(" ".join(["word"] * 60))
    page.get_by_label("Product name").fill("Early Help Finder")
    page.get_by_label("Cost of the pilot").fill("45000")
    page.get_by_label("Prototype").check()
    page.get_by_role("button", name="Save and continue").click()

    assert page.title().startswith("Error: ")
    assert page.get_by_label("Product name").input_value() == "Early Help Finder"
    axe.audit(page, "proposal-section-with-errors")
    page.get_by_role("link", name="Your answer must be 50 words or fewer. You have 60 words.").click()
    page.get_by_label("Describe your solution").fill("A data tool that flags households at risk.")
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_role("radio", name="Yes").check()
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2027")
    plan = tmp_path / "project plan.pdf"
    plan.write_bytes(PDF)
    page.get_by_label("Project plan").set_input_files(str(plan))
    page.get_by_label("We meet the eligibility criteria.").check()
    axe.audit(page, "proposal-section")
    page.get_by_role("button", name="Save and return to your proposal").click()

    assert "You have completed 3 of 3 sections." in page.content()
    page.get_by_role("button", name="Check answers and submit").click()
    axe.audit(page, "proposal-check-answers")
    page.get_by_role("button", name="Submit proposal").click()

    proposal = Proposal.objects.get()
    assert page.get_by_role("heading", name="Proposal submitted").is_visible()
    assert proposal.reference in page.content()
    axe.audit(page, "proposal-confirmation")
    assert [message.subject for message in mail.outbox] == [f"Proposal received: {proposal.reference} (version 1)"]

    page.goto(live_server.url + "/proposals/")
    axe.audit(page, "proposal-dashboard")
    page.get_by_role("link", name="Early Help Finder").click()
    page.get_by_role("link", name="Withdraw this proposal").click()
    axe.audit(page, "proposal-withdraw")
    page.get_by_role("button", name="Withdraw proposal").click()
    assert "Your proposal has been withdrawn." in page.content()
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
