"""Question sets, supplier organisations and proposals for the submission tests."""

import uuid

from django.utils.text import slugify

from accounts.models import Membership, Organisation


def question(kind: str, label: str, *, required: bool = True, **options) -> dict:
    value = {"label": label, "help_text": "", "required": required, **options}
    if "choices" in value:
        value["choices"] = [{"type": "item", "value": choice, "id": str(uuid.uuid4())} for choice in value["choices"]]
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def section(title: str, *questions: dict, description: str = "") -> dict:
    return {
        "type": "section",
        "value": {"title": title, "description": description, "questions": list(questions)},
        "id": str(uuid.uuid4()),
    }


def standard_question_set() -> list[dict]:
    """Two sections using every kind of question."""
    return [
        section(
            "Your solution",
            question("long_text", "Describe your solution", word_limit=50),
            question("short_text", "Product name", max_length=40),
            question("number", "Cost of the pilot", min_value="0", max_value="50000", unit="£"),
            question("single_choice", "Stage of development", choices=["Idea", "Prototype", "In use"]),
            question("multiple_choice", "Who benefits", choices=["Residents", "Staff", "Partners"], required=False),
        ),
        section(
            "Delivery",
            question("yes_no", "Can you start within 6 weeks?"),
            question("date", "Earliest start date"),
            question("file", "Project plan", allowed_types=["pdf"], max_size_mb=1),
            question("declaration", "Declaration", statement="We meet the eligibility criteria."),
        ),
    ]


def make_organisation(*members, name: str = "Brumtech Ltd", owner=None) -> Organisation:
    organisation = Organisation.objects.create(
        name=name, slug=slugify(name), size="small", sector="technology", region="west_midlands"
    )
    if owner is not None:
        Membership.objects.create(organisation=organisation, user=owner, role="owner")
    for user in members:
        Membership.objects.create(organisation=organisation, user=user, role="member")
    return organisation
