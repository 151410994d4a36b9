"""A supplier drafts and submits a whole proposal with the keyboard alone: Tab and Shift+Tab to move, typing
to answer, Space to tick and choose, Enter to follow links and press buttons. Nothing is clicked or filled
by the test; the file chooser opens from the keyboard. Every control focused on the way must show it has
focus, and the skip link must lead past the header.
"""

import pytest
from django.core import mail

from submissions.models import Proposal, ProposalStatus

from .helpers import PDF, Keyboard, go

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("built_assets"),
]


def test_a_supplier_submits_a_whole_proposal_with_the_keyboard_alone(
    page, live_server, supplier_on_challenge, screenshot, tmp_path
):
    challenge = supplier_on_challenge
    keys = Keyboard(page)
    go(page, live_server, challenge.url)

    # The skip link is the first stop and takes focus past the header to the main content.
    page.keyboard.press("Tab")
    skip = keys.focused()
    assert skip["name"] == "Skip to main content" and skip["visible"]
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'main-content'")

    keys.press("Start a proposal", key="Space")  # a link styled as a button answers the space bar too
    keys.press("Start proposal")
    assert "Answering residents day and night" in page.title()
    screenshot(page, "keyboard/01-task-list")

    keys.press("About your proposal")
    keys.type_into("Proposal title", "Early Help Finder")
    keys.type_into("Public summary", "Finds households at risk of losing their home.")
    keys.tick("Yes")
    screenshot(page, "keyboard/02-about")
    keys.press("Save and continue")

    keys.type_into("Describe your solution", "A data tool that flags households at risk.")
    keys.type_into("Product name", "Early Help Finder")
    keys.type_into("Cost of the pilot", "45000")
    keys.tick("Idea")
    keys.tick("Residents")
    keys.tick("Partners")
    # Changed their mind: back with Shift+Tab to untick "Residents".
    keys.tab_to("Residents", backwards=True)
    page.keyboard.press("Space")
    assert not page.evaluate("() => document.activeElement.checked")
    screenshot(page, "keyboard/03-solution")
    keys.press("Save and continue")
    assert not page.title().startswith("Error: "), page.locator(".govuk-error-summary").inner_text()

    keys.tick("Yes")
    keys.type_into("Day", "1")
    keys.type_into("Month", "2")
    keys.type_into("Year", "2027")
    plan = tmp_path / "project plan.pdf"
    plan.write_bytes(PDF)
    focused = keys.tab_to("Project plan")
    assert focused["type"] == "file"
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(plan))
    keys.tick("We meet the eligibility criteria.")
    screenshot(page, "keyboard/04-delivery")
    keys.press("Save and return to your proposal")

    assert "You have completed 3 of 3 sections." in page.locator("main").inner_text()
    keys.press("Check answers and submit")
    main = page.locator("main").inner_text()
    for answer in ("Early Help Finder", "£45000", "Idea", "Partners", "project_plan.pdf"):
        assert answer in main, answer
    who_benefits = page.locator(".govuk-summary-list__row", has_text="Who benefits").locator("dd").first
    assert who_benefits.inner_text().strip() == "Partners"  # "Residents" was unticked with Shift+Tab, Space
    screenshot(page, "keyboard/05-check-answers")
    keys.press("Submit proposal")

    proposal = Proposal.objects.get()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert page.get_by_role("heading", name="Proposal submitted").is_visible()
    assert [message.subject for message in mail.outbox] == [f"Proposal received: {proposal.reference} (version 1)"]
    assert proposal.attachments.get().name == "project_plan.pdf"
    screenshot(page, "keyboard/06-receipt")
