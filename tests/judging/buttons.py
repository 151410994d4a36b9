"""What a judge's buttons post to: each action on an assignment has an address of its own."""

from django.urls import reverse

ACTIONS = {
    "confirm": "judging:confirm_no_conflict",
    "conflict": "judging:declare_conflict",
    "save": "judging:save_draft",
    "submit": "judging:submit_review",
}


def button_url(assignment_id: int, action: str) -> str:
    return reverse(ACTIONS[action], args=[assignment_id])


def press(client, assignment_id: int, data: dict):
    """POST ``data`` as the button its ``action`` names would (the action itself is not sent)."""
    fields = {key: value for key, value in data.items() if key != "action"}
    return client.post(button_url(assignment_id, data["action"]), fields)
