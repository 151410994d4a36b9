"""Question sets and proposals for the tests. A proposal is written directly (not through services), so a test of
one service is never coupled to another; tests of the services call them."""

import uuid
from datetime import timedelta

from django.utils import timezone

from submissions.models import Proposal, ProposalStatus, ProposalVersion

from .accounts import UserFactory
from .organisations import make_organisation


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


_counter = iter(range(1, 10**6))


def make_proposal(
    challenge, *, status=ProposalStatus.IN_ASSESSMENT, organisation=None, supplier=None, stage=None, **fields
):
    """A proposal that was submitted (a reference and a version 1 with answers), now in ``status``, in ``stage``
    (the first unless told)."""
    stage = stage or challenge.first_stage
    number = next(_counter)
    supplier = supplier or UserFactory(verified=True)
    organisation = organisation or make_organisation(name=f"Supplier {number} Ltd", owner=supplier)
    questions = stage.questions.get_prep_value()
    first_question = questions[0]["value"]["questions"][0]["id"] if questions else "q"
    answers = fields.pop("answers", {first_question: f"Our solution number {number} uses open data."})
    values = {
        "title": f"Proposal {number}",
        "public_summary": f"A public summary of proposal {number}.",
        "consent_to_publish": True,
    }
    values.update(fields)
    proposal = Proposal.objects.create(
        challenge=challenge,
        stage=stage,
        organisation=organisation,
        created_by=supplier,
        reference=f"UC-2027-{number:05d}",
        status=status,
        answers=answers,
        submitted_at=timezone.now() - timedelta(days=2),
        **values,
    )
    ProposalVersion.objects.create(
        proposal=proposal,
        stage=stage,
        number=1,
        submitted_at=proposal.submitted_at,
        submitted_by=supplier,
        title=proposal.title,
        public_summary=proposal.public_summary,
        consent_to_publish=bool(proposal.consent_to_publish),
        answers=answers,
        questions=questions,
        files=[],
        digest="0" * 64,
    )
    return proposal
