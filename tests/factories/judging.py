"""Building a judging scene for tests: a closed challenge with a rubric, managers, judges, proposals in any status.

Every helper here writes rows directly (not through services), so a test about one service is never
coupled to another; tests of the services themselves call the services.
"""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.two_factor import JUDGES_GROUP_NAME
from challenges.services import sponsor_grant_manager_access
from judging.models import Assignment, Conflict, PanelMember, Review, ReviewStatus, Score
from judging.rubric import criteria_from_raw
from submissions.models import Proposal, ProposalStatus, ProposalVersion

from .accounts import UserFactory
from .challenges import ChallengeIndexPageFactory, ChallengePageFactory, SponsorFactory
from .submissions import make_organisation, question, section


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


def other_sponsor_section(listing, name: str = "Greater Manchester Combined Authority"):
    sponsor = SponsorFactory(name=name, slug="gmca")
    return ChallengeIndexPageFactory(parent=listing, title=name, slug="gmca", sponsor=sponsor), sponsor


def make_manager(sponsor, **kwargs):
    """A challenge manager of ``sponsor``: publish rights on its section only, with two-factor set up."""
    user = UserFactory(verified=True, two_factor=True, **kwargs)
    user.groups.add(sponsor_grant_manager_access(sponsor=sponsor))
    return user


def make_judge(*, two_factor: bool = True, **kwargs):
    """A judge (in the Judges group, verified, with two-factor unless told otherwise), on no panel yet."""
    user = UserFactory(verified=True, two_factor=two_factor, **kwargs)
    user.groups.add(Group.objects.get_or_create(name=JUDGES_GROUP_NAME)[0])
    return user


def seat(challenge, *judges) -> list[PanelMember]:
    judges_group = Group.objects.get_or_create(name=JUDGES_GROUP_NAME)[0]
    members = []
    for judge in judges:
        judge.groups.add(judges_group)
        members.append(PanelMember.objects.get_or_create(challenge=challenge, judge=judge)[0])
    return members


_counter = iter(range(1, 10**6))


def make_proposal(challenge, *, status=ProposalStatus.IN_ASSESSMENT, organisation=None, supplier=None, **fields):
    """A proposal that was submitted (a reference and a version 1 with answers), now in ``status``."""
    number = next(_counter)
    supplier = supplier or UserFactory(verified=True)
    organisation = organisation or make_organisation(name=f"Supplier {number} Ltd", owner=supplier)
    questions = challenge.proposal_questions.get_prep_value()
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


def assign(proposal, judge, *, confirmed: bool = True) -> Review:
    """Assign the judge and return the (draft) review; ``confirmed`` means they said they have no conflict."""
    assignment = Assignment.objects.create(
        proposal=proposal, judge=judge, no_conflict_confirmed_at=timezone.now() if confirmed else None
    )
    return Review.objects.create(assignment=assignment)


def score(review: Review, *values: int, submit: bool = True, comment: str = "Clear evidence.") -> Review:
    """Give one value per rubric criterion in rubric order, and submit the review unless told not to."""
    criteria = criteria_from_raw(review.assignment.proposal.challenge.rubric.raw_data)
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
