"""A three-stage challenge for tests: an expression of interest (closed), a full proposal (open now) whose first
question is prefilled from the expression of interest, and a pitch (later)."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from challenges.models import Stage, StageKind

from .accounts import UserFactory
from .challenges import ChallengePageFactory, make_manager
from .judging import RUBRIC, make_judge, seat
from .submissions import make_proposal, question, section

IDEA = "Describe your idea in a paragraph"
EOI_QUESTIONS = [section("Your idea", question("long_text", IDEA, word_limit=200))]
FULL_QUESTIONS = [
    section(
        "Your full proposal",
        question("long_text", "Your idea, developed", word_limit=500, prefill_from=IDEA),
        question("long_text", "How you will run the pilot", word_limit=500),
    )
]
IDEA_ID = EOI_QUESTIONS[0]["value"]["questions"][0]["id"]
DEVELOPED_ID = FULL_QUESTIONS[0]["value"]["questions"][0]["id"]
PILOT_ID = FULL_QUESTIONS[0]["value"]["questions"][1]["id"]


def three_stages(now=None) -> list[Stage]:
    now = now or timezone.now()
    return [
        Stage(
            name="Expression of interest",
            kind=StageKind.WRITTEN,
            sort_order=0,
            opens_at=now - timedelta(days=40),
            closes_at=now - timedelta(days=20),
            feedback_release_at=now + timedelta(days=1),
            questions=EOI_QUESTIONS,
            rubric=RUBRIC,
            judges_per_proposal=1,
        ),
        Stage(
            name="Full proposal",
            kind=StageKind.WRITTEN,
            sort_order=1,
            opens_at=now - timedelta(days=19),
            closes_at=now + timedelta(days=10),
            questions=FULL_QUESTIONS,
            rubric=RUBRIC,
            judges_per_proposal=1,
        ),
        Stage(
            name="Pitch",
            kind=StageKind.PITCH,
            sort_order=2,
            opens_at=now + timedelta(days=11),
            closes_at=now + timedelta(days=20),
            rubric=RUBRIC,
            judges_per_proposal=1,
        ),
    ]


@dataclass
class StagedScene:
    challenge: object
    stages: list
    manager: object
    eoi_judge: object
    full_judge: object
    forward: object
    """A proposal in the expression of interest, eligible, that the tests take forward."""
    left_behind: object
    """Another, eligible too, that the tests do not take forward."""
    supplier: object
    other_supplier: object


def build_staged_scene(sponsor_index, sponsor) -> StagedScene:
    stages = three_stages()
    challenge = ChallengePageFactory(
        parent=sponsor_index,
        sponsor=sponsor,
        title="Wellbeing at home",
        opens_at=stages[0].opens_at,
        closes_at=stages[0].closes_at,
        stages=stages,
        funding_available=20000,
    )
    stages = challenge.stage_list
    manager = make_manager(sponsor, email="stages.manager@wmca.example")
    eoi_judge, full_judge = make_judge(email="eoi@panel.example"), make_judge(email="full@panel.example")
    seat(challenge, eoi_judge, stage=stages[0])
    seat(challenge, full_judge, stage=stages[1])
    supplier = UserFactory(verified=True, email="lin@homewell.example")
    other_supplier = UserFactory(verified=True, email="sam@kindcare.example")
    forward = make_proposal(
        challenge, stage=stages[0], supplier=supplier, status="eligible", answers={IDEA_ID: "Sensors residents own."}
    )
    left_behind = make_proposal(challenge, stage=stages[0], supplier=other_supplier, status="eligible")
    return StagedScene(
        challenge=challenge,
        stages=stages,
        manager=manager,
        eoi_judge=eoi_judge,
        full_judge=full_judge,
        forward=forward,
        left_behind=left_behind,
        supplier=supplier,
        other_supplier=other_supplier,
    )
