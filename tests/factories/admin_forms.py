"""Form data for a challenge's stages as the Wagtail page editor posts them (``nested_form_data`` flattens it)."""

from wagtail.test.utils.form_data import inline_formset, streamfield


def stage_row(opens_at: str, closes_at: str, *, name: str = "Proposals", kind: str = "written", **fields) -> dict:
    """One stage of the Stages tab's inline panel, as typed: dates as ``YYYY-MM-DD HH:MM``."""
    return {
        "name": name,
        "kind": kind,
        "description": "",
        "opens_at": opens_at,
        "closes_at": closes_at,
        "booking_closes_at": "",
        "feedback_release_at": "",
        "questions": streamfield([]),
        "rubric": streamfield([]),
        "judges_per_proposal": "3",
        "places": "3",
        **fields,
    }


def stages_formset(*rows: dict) -> dict:
    return inline_formset(list(rows), min=1)
