"""What a judge's buttons post to: each action on an assignment has an address of its own.

"Submit review" takes two presses: it shows the scores to check, and that page's "Yes, submit my review" posts
them back (``confirm_submission``). ``press`` makes both, as a judge does, unless told to stop at the check.
"""

from bs4 import BeautifulSoup
from django.urls import reverse

ACTIONS = {
    "confirm": "judging:confirm_no_conflict",
    "conflict": "judging:declare_conflict",
    "save": "judging:save_draft",
    "submit": "judging:submit_review",
    "yes, submit": "judging:confirm_submit",
}
YES_SUBMIT = "Yes, submit my review"


def button_url(assignment_id: int, action: str) -> str:
    return reverse(ACTIONS[action], args=[assignment_id])


def check_page_form(response):
    """The confirmation page's form, if ``response`` is that page (else None)."""
    if response.status_code != 200:
        return None
    page = BeautifulSoup(response.content, "html.parser")
    button = page.find("button", string=YES_SUBMIT)
    return button.find_parent("form") if button else None


def confirm_submission(client, response):
    """Press "Yes, submit my review" on the confirmation page ``response``: post exactly the fields its form holds
    (the hidden scores and comments), to the form's own address."""
    form = check_page_form(response)
    assert form is not None, "not the page to check a review before submitting it"
    fields = {field["name"]: field.get("value", "") for field in form.find_all("input") if field.get("name")}
    return client.post(form["action"], fields)


def press(client, assignment_id: int, data: dict, *, confirm: bool = True):
    """POST ``data`` as the button its ``action`` names would (the action itself is not sent). For "submit", when
    the confirmation page comes back, press its "Yes, submit my review" too unless ``confirm`` is False."""
    fields = {key: value for key, value in data.items() if key != "action"}
    response = client.post(button_url(assignment_id, data["action"]), fields)
    if confirm and data["action"] == "submit" and check_page_form(response) is not None:
        return confirm_submission(client, response)
    return response
