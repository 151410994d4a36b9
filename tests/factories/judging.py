"""Building a judging scene for tests: a closed challenge with a rubric, managers, judges, proposals in any status.

Every helper here writes rows directly (not through services), so a test about one service is never
coupled to another; tests of the services themselves call the services.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.two_factor import JUDGES_GROUP_NAME
from judging.models import Assignment, Conflict, PanelMember, Review, ReviewStatus, Score
from judging.rubric import criteria_from_raw
from tests.factories.submissions import question, section

from .accounts import UserFactory
from .challenges import ChallengePageFactory, make_manager, other_sponsor_section
from .submissions import make_proposal


def criterion(key: str, name: str, *, weight: str = "1", scale_max: int = 5, comment_required: bool = True) -> dict:
    return {
        "type": "criterion",
        "id": key,
        "value": {
            "name": name,
            "guidance": f"How well does the proposal show {name.lower()}?",
            "weight": weight,
            "scale_max": scale_max,
            "levels": [f"{name}: level {n}" for n in range(scale_max + 1)],
            "comment_required": comment_required,
        },
    }


RUBRIC = [criterion("impact", "Impact", weight="2"), criterion("delivery", "Delivery", comment_required=False)]
"""Total = 100 * (2 * impact / 5 + delivery / 5) / 3."""

QUESTIONS = [
    section(
        "About your solution",
        question("text", "Describe your solution"),
        question("file", "Project plan", allowed_types=["pdf"], max_size_mb=1, required=False),
    )
]


def closed_challenge(sponsor_index, sponsor, **kwargs):
    """A challenge that closed yesterday and is being judged, with ``RUBRIC`` and ``QUESTIONS``."""
    now = timezone.now()
    defaults = {
        "title": "Prevent homelessness with data",
        "opens_at": now - timedelta(days=30),
        "closes_at": now - timedelta(days=1),
        "judging_starts_at": now - timedelta(hours=12),
        "judging_ends_at": now + timedelta(days=14),
        "announce_at": now + timedelta(days=21),
        "rubric": RUBRIC,
        "proposal_questions": QUESTIONS,
        "judges_per_proposal": 2,
    }
    defaults.update(kwargs)
    return ChallengePageFactory(parent=sponsor_index, sponsor=sponsor, **defaults)


def make_judge(*, two_factor: bool = True, **kwargs):
    """A judge (in the Judges group, verified, with two-factor unless told otherwise), on no panel yet."""
    user = UserFactory(verified=True, two_factor=two_factor, **kwargs)
    user.groups.add(Group.objects.get_or_create(name=JUDGES_GROUP_NAME)[0])
    return user


def seat(challenge, *judges, stage=None) -> list[PanelMember]:
    """Seat the judges on a stage's panel (the first stage's unless told)."""
    stage = stage or challenge.first_stage
    judges_group = Group.objects.get_or_create(name=JUDGES_GROUP_NAME)[0]
    members = []
    for judge in judges:
        judge.groups.add(judges_group)
        members.append(PanelMember.objects.get_or_create(challenge=challenge, stage=stage, judge=judge)[0])
    return members


def assign(proposal, judge, *, confirmed: bool = True) -> Review:
    """Assign the judge and return the (draft) review; ``confirmed`` means they said they have no conflict."""
    assignment = Assignment.objects.create(
        proposal=proposal,
        stage=proposal.stage,
        judge=judge,
        no_conflict_confirmed_at=timezone.now() if confirmed else None,
    )
    return Review.objects.create(assignment=assignment)


def score(review: Review, *values: int, submit: bool = True, comment: str = "Clear evidence.") -> Review:
    """Give one value per rubric criterion in rubric order, and submit the review unless told not to."""
    criteria = criteria_from_raw(review.assignment.stage.rubric.raw_data)
    for criterion_, value in zip(criteria, values, strict=True):
        Score.objects.update_or_create(
            review=review,
            criterion_id=criterion_.id,
            defaults={
                "weight": criterion_.weight,
                "scale_max": criterion_.scale_max,
                "value": value,
                "comment": comment,
            },
        )
    if submit:
        weights = sum(float(c.weight) for c in criteria)
        review.total = (
            100 * sum(float(c.weight) * v / c.scale_max for c, v in zip(criteria, values, strict=True)) / weights
        )
        review.status = ReviewStatus.SUBMITTED
        review.submitted_at = timezone.now()
        review.save()
    return review


def conflict(judge, *, organisation=None, proposal=None, reason: str = "I used to work there") -> Conflict:
    return Conflict.objects.create(judge=judge, organisation=organisation, proposal=proposal, reason=reason)


@dataclass
class Scene:
    challenge: object
    manager: object
    judges: list
    proposal: object
    other_proposal: object
    supplier: object
    review: object
    other_challenge: object
    other_judge: object
    other_manager: object
    conflicted_judge: object
    unassigned_judge: object


def build_scene(listing, sponsor_index, sponsor) -> Scene:
    """``judges[0]`` is assigned ``proposal`` (confirmed, draft review in ``review``); ``conflicted_judge`` sits
    on the panel with a conflict with ``proposal``'s organisation; ``unassigned_judge`` sits on the panel with
    no assignment; ``other_judge`` judges ``other_challenge`` of another sponsor, whose manager is
    ``other_manager``."""
    challenge = closed_challenge(sponsor_index, sponsor)
    manager = make_manager(sponsor, email="manager@wmca.example")
    judges = [make_judge(email=f"judge{n}@panel.example") for n in range(2)]
    conflicted_judge = make_judge(email="conflicted@panel.example")
    unassigned_judge = make_judge(email="unassigned@panel.example")
    seat(challenge, *judges, conflicted_judge, unassigned_judge)
    supplier = UserFactory(verified=True, email="ada@brumtech.example")
    proposal = make_proposal(challenge, supplier=supplier, title="Early warning for rent arrears")
    other_proposal = make_proposal(challenge, title="Housing data commons")
    conflict(conflicted_judge, organisation=proposal.organisation)
    review = assign(proposal, judges[0])
    assign(other_proposal, judges[1])

    other_section, other_sponsor = other_sponsor_section(listing)
    other_challenge = closed_challenge(other_section, other_sponsor, title="Digital inclusion in Salford")
    other_judge = make_judge(email="elsewhere@panel.example")
    seat(other_challenge, other_judge)
    other_manager = make_manager(other_sponsor, email="manager@gmca.example")
    return Scene(
        challenge=challenge,
        manager=manager,
        judges=judges,
        proposal=proposal,
        other_proposal=other_proposal,
        supplier=supplier,
        review=review,
        other_challenge=other_challenge,
        other_judge=other_judge,
        other_manager=other_manager,
        conflicted_judge=conflicted_judge,
        unassigned_judge=unassigned_judge,
    )
