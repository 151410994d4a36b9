"""Keep each stage's ranking figures (``JudgeStanding``, ``ProposalStanding``) in step with the reviews.

A review submitted or reopened changes its judge's mean and spread, and so the z-score of every review that
judge gave: the proposals they reviewed (about a thousand on a panel of 50 sharing 10,000 x 5 reviews) get
their sums rewritten, in the same transaction, from the same formula ``selectors.ranking`` states:

- a judge's ``mu`` is the mean of their counted totals, the variance ``AVG(t * t) - mu * mu`` (the population
  form); ``z = (total - mu) / sqrt(variance)``, or 0 when the variance is below ``VARIANCE_FLOOR``;
- a proposal's line keeps the count, the sum of totals, the sum of z, the lowest and highest total, and its
  criterion means; ``ranking_order`` divides and rounds them at read time.

What counts is what ``ranking_order`` counted when it worked everything out per request (its SQL is kept in
``selectors.ranking.computed_rows`` and the tests compare the two on random panels): submitted reviews of the
proposals a stage ranks (``ranked_in``). So a proposal entering or leaving that set (sent to assessment,
withdrawn, not taken forward) refreshes it too: ``judging/signals.py`` hooks the saves and deletes.

Refreshes of one stage are serialised by a row lock on the stage, so two judges submitting at once never
each write sums worked out from the other's old figures. Each refresh also asks for the stage's decision
confidence to be worked out again, in the background (``services.confidence``).
"""

import math
import threading
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q

from challenges.models import Stage
from submissions.models import Progression, Proposal
from submissions.workflow import RANKED

from ..chart import MAX_DOTS, summarise
from ..models import JudgeStanding, ProposalStanding, Review, ReviewStatus
from ..selectors.counted import counted_reviews
from ..selectors.ranking import PLACES, VARIANCE_FLOOR, _all_means
from ..selectors.stages import ranked_in
from .confidence import confidence_request

_deleting = threading.local()
"""Ids of the proposals being deleted in this thread: their reviews go first (a cascade), and the refresh those
deletions trigger must not write a line for a proposal about to go."""


def _going() -> set[int]:
    return getattr(_deleting, "ids", set())


def proposal_going(proposal_id: int) -> None:
    """A proposal's deletion has begun (``pre_delete``): refreshes leave it out until ``proposal_gone``."""
    _deleting.ids = _going() | {proposal_id}


def proposal_gone(proposal_id: int) -> None:
    _deleting.ids = _going() - {proposal_id}


SUM_FIELDS = ["review_count", "total_sum", "z_sum", "low", "high", "raw_mean", "normalised", "spread"]
JUDGE_FIELDS = ["count", "total_sum", "square_sum", "mean", "median", "q1", "q3", "minimum", "maximum", "sd", "dots"]


def _judge_row(stage, judge_id: int, totals: list[float]) -> JudgeStanding:
    summary = summarise(judge_id, "", [round(total, PLACES) for total in totals])
    return JudgeStanding(
        stage=stage,
        judge_id=judge_id,
        count=len(totals),
        total_sum=sum(totals),
        square_sum=sum(total * total for total in totals),
        mean=summary.mean,
        median=summary.median,
        q1=summary.q1,
        q3=summary.q3,
        minimum=summary.minimum,
        maximum=summary.maximum,
        sd=summary.sd,
        dots=list(summary.totals) if len(totals) <= MAX_DOTS else [],
    )


def _scale(row: JudgeStanding) -> tuple[float, float]:
    """(mu, sqrt(variance)) of a judge, the divisor 0 when the variance is float noise or none."""
    mu = row.total_sum / row.count
    variance = row.square_sum / row.count - mu * mu
    return mu, math.sqrt(variance) if variance > VARIANCE_FLOOR else 0.0


def _criterion_means(stage, proposal_ids: list[int] | None) -> dict[int, dict[str, float]]:
    """Per proposal, the mean value its counted reviews gave each criterion: one aggregate query, the same the
    ranking selectors make (``selectors.ranking._all_means``)."""
    return _all_means(stage, proposal_ids)


def _lock(stage) -> Stage:
    """The stage (an instance or its id), its row locked until the transaction ends."""
    return Stage.objects.select_for_update().only("pk").get(pk=getattr(stage, "pk", stage))


def _refresh(stage, *, proposal_ids: set[int] | None, judge_ids: set[int] | None, confidence: bool = True) -> None:
    """Rewrite the figures the given proposals and judges touch (everything in the stage when both are None)."""
    everything = proposal_ids is None and judge_ids is None
    if everything:
        members = set(Proposal.objects.filter(ranked_in(stage)).values_list("pk", flat=True))
        touched = members
    else:
        touched = set(proposal_ids or ())
        members = set(Proposal.objects.filter(ranked_in(stage), pk__in=touched).values_list("pk", flat=True))
        members -= _going()
        judge_ids = set(judge_ids or ()) | set(
            Review.objects.filter(
                assignment__stage=stage, assignment__proposal_id__in=touched, status=ReviewStatus.SUBMITTED
            ).values_list("assignment__judge_id", flat=True)
        )
    reviews = counted_reviews(stage, proposal_ids=proposal_ids, judge_ids=judge_ids)

    by_judge: dict[int, list[float]] = defaultdict(list)
    for _, judge_id, total in reviews:
        by_judge[judge_id].append(total)
    judges = {} if everything else {row.judge_id: row for row in JudgeStanding.objects.filter(stage=stage)}
    if everything:
        JudgeStanding.objects.filter(stage=stage).delete()
        refreshed = list(by_judge)
    else:
        # A refreshed judge's figures come from all their counted reviews, every one of which is in ``reviews``.
        refreshed = [judge_id for judge_id in judge_ids if judge_id in by_judge]
        JudgeStanding.objects.filter(stage=stage, judge_id__in=judge_ids - set(by_judge)).delete()
    new_rows = [_judge_row(stage, judge_id, by_judge[judge_id]) for judge_id in refreshed]
    judges.update((row.judge_id, row) for row in new_rows)
    JudgeStanding.objects.bulk_create(
        new_rows, update_conflicts=True, unique_fields=["stage", "judge"], update_fields=JUDGE_FIELDS
    )

    scales = {judge_id: _scale(row) for judge_id, row in judges.items()}
    sums: dict[int, list] = {}
    for proposal_id, judge_id, total in reviews:
        if proposal_id in _going():
            continue
        mu, divisor = scales[judge_id]
        z = (total - mu) / divisor if divisor else 0.0
        line = sums.get(proposal_id)
        if line is None:
            sums[proposal_id] = [1, total, z, total, total]
        else:
            line[0] += 1
            line[1] += total
            line[2] += z
            line[3] = min(line[3], total)
            line[4] = max(line[4], total)
    members |= set(sums) - _going()

    means = _criterion_means(stage, None if everything else sorted(touched & members))
    if everything:
        ProposalStanding.objects.filter(stage=stage).delete()
    else:
        ProposalStanding.objects.filter(stage=stage, proposal_id__in=touched - members).delete()

    def line(proposal_id: int) -> ProposalStanding:
        count, total_sum, z_sum, low, high = sums.get(proposal_id) or (0, None, None, None, None)
        return ProposalStanding(
            stage=stage,
            proposal_id=proposal_id,
            review_count=count,
            total_sum=total_sum,
            z_sum=z_sum,
            low=low,
            high=high,
            raw_mean=round(total_sum / count, PLACES) if count else None,
            normalised=round(z_sum / count, PLACES) if count else None,
            spread=round(high - low, PLACES) if count else None,
            criterion_means=means.get(proposal_id, {}),
        )

    fresh = touched & members
    ProposalStanding.objects.bulk_create(
        [line(pk) for pk in sorted(fresh)],
        update_conflicts=True,
        unique_fields=["stage", "proposal"],
        update_fields=[*SUM_FIELDS, "criterion_means"],
        batch_size=2000,
    )
    ProposalStanding.objects.bulk_create(
        [line(pk) for pk in sorted(set(sums) - fresh)],
        update_conflicts=True,
        unique_fields=["stage", "proposal"],
        update_fields=SUM_FIELDS,
        batch_size=2000,
    )
    if confidence:
        confidence_request(stage_id=stage.pk)


@transaction.atomic
def standing_refresh(*, stage, proposal_ids: Iterable[int] = (), judge_ids: Iterable[int] = ()) -> None:
    """Bring a stage's figures up to date after the given proposals' reviews or membership changed, or the given
    judges' reviews did (a judge whose review was deleted is no longer found through the proposal)."""
    proposal_ids, judge_ids = set(proposal_ids), set(judge_ids)
    if not proposal_ids and not judge_ids:
        return
    _refresh(_lock(stage), proposal_ids=proposal_ids, judge_ids=judge_ids)


@transaction.atomic
def standing_rebuild(*, stage, confidence: bool = True) -> None:
    """Work a stage's figures out afresh from every review: after a bulk load, and in the migration that made them."""
    _refresh(_lock(stage), proposal_ids=None, judge_ids=None, confidence=confidence)


def standing_rebuild_all(*, confidence: bool = True) -> int:
    """Rebuild every stage that ranks anything or has a submitted review; how many stages were rebuilt. Without
    ``confidence``, the decision confidence is not asked for (the migration that made the figures runs before the
    confidence tables exist). Reads only the stages' ids: a migration runs it before later columns exist."""
    with_reviews = Review.objects.filter(status=ReviewStatus.SUBMITTED).values("assignment__stage_id")
    left = Progression.objects.values("stage_id")
    stages = Stage.objects.filter(
        Q(pk__in=with_reviews)
        | Q(pk__in=left)
        | Q(pk__in=Proposal.objects.filter(status__in=RANKED).values("stage_id"))
    )
    count = 0
    for stage in stages.order_by("pk").only("pk"):
        standing_rebuild(stage=stage, confidence=confidence)
        count += 1
    return count


def standing_sync_proposal(proposal_id: int, stage_ids: Iterable[int] = ()) -> None:
    """After a proposal's status, stage or progression changed: refresh each stage whose ranking it joined or left.
    Two queries, and one per stage it could be in, when nothing changed."""
    stage_id = Proposal.objects.filter(pk=proposal_id).values_list("stage_id", flat=True).first()
    if stage_id is None:
        return
    kept = set(ProposalStanding.objects.filter(proposal_id=proposal_id).values_list("stage_id", flat=True))
    candidates = {stage_id, *stage_ids} | kept
    for stage in Stage.objects.filter(pk__in=candidates).order_by("pk"):
        member = Proposal.objects.filter(ranked_in(stage), pk=proposal_id).exists()
        if member != (stage.pk in kept):
            standing_refresh(stage=stage, proposal_ids=[proposal_id])
