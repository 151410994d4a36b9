"""A bulk-generated, fully judged challenge for benchmarks: N proposals x judges x criteria in seconds.

Reviews are submitted with their weighted total written by ``judging.reviews.weighted_total``, the function
``review_submit`` uses, and the ranking's kept figures (``judging.services.standing``) are rebuilt after the bulk
insert, so the ranking and results pages see exactly what real judging would have left behind.
Judges differ in leniency and proposals in quality, so normalisation and spread flags have real work to do.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from accounts.models import Organisation, User
from challenges.models import ChallengePage, Theme
from judging.models import Assignment, PanelMember, Review, ReviewStatus, Score
from judging.rubric import criteria_from_raw
from judging.services.reviews import weighted_total
from judging.services.standing import standing_rebuild
from submissions.models import Proposal, ProposalStatus

from .scale import closed_challenge

BATCH = 5000


@dataclass(frozen=True)
class JudgedChallenge:
    challenge: ChallengePage
    proposals: int
    reviews: int
    scores: int


def _challenge(parent: Page, criteria: int) -> ChallengePage:
    theme = Theme.objects.order_by("pk").first() or Theme.objects.create(slug="benchmark", name="Benchmark")
    rubric = [
        {
            "type": "criterion",
            "id": f"criterion-{n}",
            "value": {"name": f"Criterion {n}", "guidance": "", "weight": str(1 + n % 3), "scale_max": 5},
        }
        for n in range(criteria)
    ]
    now = timezone.now()
    challenge = closed_challenge(
        parent,
        title="Benchmark judged challenge",
        slug="benchmark-judged",
        summary="Generated with a fully judged field of proposals.",
        now=now,
        judging_starts_at=now - timedelta(days=25),
        judging_ends_at=now + timedelta(days=5),
        announce_at=now + timedelta(days=30),
        rubric=rubric,
    )
    challenge.themes.set([theme])
    return challenge


@transaction.atomic
def add_judged_challenge(
    *, parent: Page, proposals: int, judges: int = 5, panel: int = 50, criteria: int = 6, seed: int = 2027
) -> JudgedChallenge:
    """Add one challenge under ``parent`` with ``proposals`` proposals in assessment, each reviewed and
    submitted by ``judges`` of a ``panel`` of judges (so each judge's normalisation spans many reviews),
    each review scoring ``criteria`` criteria."""
    if min(proposals, judges, criteria) < 1 or panel < judges:
        raise ValueError("Counts must be at least 1 and the panel at least as large as the judges per proposal.")
    rng = random.Random(seed)
    challenge = _challenge(parent, criteria)
    stage = challenge.first_stage
    rubric = criteria_from_raw(stage.rubric.raw_data)
    tag = f"c{challenge.pk}"
    now = timezone.now()
    supplier = User.objects.create(email=f"supplier.{tag}@scale.example")
    judges_on_panel = User.objects.bulk_create(User(email=f"judge{n}.{tag}@scale.example") for n in range(panel))
    PanelMember.objects.bulk_create(
        PanelMember(challenge=challenge, stage=stage, judge=judge) for judge in judges_on_panel
    )
    leniency = {judge.pk: rng.uniform(-1.5, 1.5) for judge in judges_on_panel}
    organisations = Organisation.objects.bulk_create(
        (
            Organisation(
                name=f"Supplier {n}", slug=f"scale-{tag}-{n}", size="small", sector="technology", region="west_midlands"
            )
            for n in range(proposals)
        ),
        batch_size=BATCH,
    )
    made = Proposal.objects.bulk_create(
        (
            Proposal(
                challenge=challenge,
                stage=stage,
                organisation=organisation,
                reference=f"UC-S{challenge.pk}-{n:05}",
                title=f"Proposal {n}",
                status=ProposalStatus.IN_ASSESSMENT,
                created_by=supplier,
                submitted_at=now - timedelta(days=31),
            )
            for n, organisation in enumerate(organisations)
        ),
        batch_size=BATCH,
    )
    quality = {proposal.pk: rng.uniform(0.5, 4.5) for proposal in made}
    assignments = Assignment.objects.bulk_create(
        (
            Assignment(proposal=proposal, stage=stage, judge=judges_on_panel[(n * judges + k) % panel])
            for n, proposal in enumerate(made)
            for k in range(judges)
        ),
        batch_size=BATCH,
    )
    marks = []
    for assignment in assignments:
        centre = quality[assignment.proposal_id] + leniency[assignment.judge_id]
        marks.append(
            [(criterion, min(criterion.scale_max, max(0, round(rng.gauss(centre, 0.8))))) for criterion in rubric]
        )
    reviews = Review.objects.bulk_create(
        (
            Review(assignment=assignment, status=ReviewStatus.SUBMITTED, submitted_at=now, total=weighted_total(given))
            for assignment, given in zip(assignments, marks, strict=True)
        ),
        batch_size=BATCH,
    )
    scores, batch = 0, []
    for review, given in zip(reviews, marks, strict=True):
        batch.extend(
            Score(
                review=review,
                criterion_id=criterion.id,
                weight=criterion.weight,
                scale_max=criterion.scale_max,
                value=value,
            )
            for criterion, value in given
        )
        if len(batch) >= BATCH:
            scores += len(Score.objects.bulk_create(batch))
            batch = []
    scores += len(Score.objects.bulk_create(batch))
    # bulk_create sends no signals, so the ranking's kept figures are worked out once, here, from what was loaded.
    standing_rebuild(stage=stage)
    return JudgedChallenge(challenge=challenge, proposals=len(made), reviews=len(reviews), scores=scores)
