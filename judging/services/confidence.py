"""Work out and store how far a stage's ranking can be trusted (``StageConfidence``, ``ProposalConfidence``).

Every change to a stage's counted reviews (``services.standing`` refreshing its figures) calls
``confidence_request``: it counts the request and, once the transaction commits, queues the task
``judging.confidence_refresh`` after ``JUDGING_CONFIDENCE_DELAY`` seconds. Only the newest request's task does the
work: one that finds a newer request behind it stops at once, so a burst of reviews submitted in the same minute is
worked out once, after the last (a trailing debounce). The results page reads what was stored, with the moment it
was computed, and never waits.

A request whose task was lost (the broker down when it was queued) is queued again by the beat task
``judging.confidence_catch_up`` once it is ``CATCH_UP_AFTER`` seconds overdue. Doing it twice is harmless (a
redelivered task, or a catch-up of a task that was only slow): the same reviews and the fixed seed give the same
figures, and a slower, older run never overwrites a newer one's (``computed_for`` only grows).
"""

import logging
from collections import defaultdict
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from challenges.models import Stage
from core.kept import new_generation
from core.tasks import after_commit
from pagecache.services import page_cache_purge

from ..agreement import interval_alpha
from ..calibration import calibrate
from ..models import ProposalConfidence, StageConfidence
from ..rubric import criteria_from_raw
from ..selectors.counted import counted_reviews, counted_scores
from ..selectors.ranking import VARIANCE_FLOOR, ranking_order
from ..stability import DRAWS, SEED, resample

logger = logging.getLogger(__name__)

REFRESH_TASK = "judging.confidence_refresh"
DEFAULT_DELAY = 20
"""Seconds a change waits before the figures are worked out: long enough to gather a burst of reviews submitted
together, well inside the broker's visibility timeout (a longer countdown would be delivered twice)."""


def _delay() -> float:
    return float(getattr(settings, "JUDGING_CONFIDENCE_DELAY", DEFAULT_DELAY))


def confidence_request(*, stage_id: int) -> int:
    """Ask for a stage's confidence figures to be worked out again, after the current transaction commits; the
    request's number. Three small queries: the row, the increment, the number."""
    StageConfidence.objects.bulk_create([StageConfidence(stage_id=stage_id)], ignore_conflicts=True)
    rows = StageConfidence.objects.filter(stage_id=stage_id)
    rows.update(requested=F("requested") + 1, requested_at=timezone.now())
    token = rows.values_list("requested", flat=True).get()
    _queue(stage_id, token, countdown=_delay())
    return token


def _queue(stage_id: int, token: int, *, countdown: float) -> None:
    def not_queued(error: Exception) -> None:
        logger.warning(
            "Confidence figures of stage %s could not be queued; confidence_catch_up will queue them: %s",
            stage_id,
            error,
        )

    after_commit(REFRESH_TASK, stage_id, token, on_error=not_queued, countdown=countdown)


CATCH_UP_AFTER = 5 * 60
"""Seconds past a request's delay after which nothing has answered it: its task was lost (the broker was down when
it was queued, or the queue was purged), and ``confidence_catch_up`` queues it again."""


def confidence_catch_up() -> list[int]:
    """Queue the latest request of every stage whose figures still do not answer it well after its delay (the beat
    runs this every few minutes); the stages queued. A request still within its delay is left to its own task."""
    waited = timezone.now() - timedelta(seconds=_delay() + CATCH_UP_AFTER)
    stale = (
        StageConfidence.objects.filter(requested_at__lt=waited)
        .filter(Q(computed_for__isnull=True) | Q(computed_for__lt=F("requested")))
        .values_list("stage_id", "requested")
        .order_by("stage_id")
    )
    queued = []
    for stage_id, token in stale:
        _queue(stage_id, token, countdown=0)
        queued.append(stage_id)
    return queued


def confidence_refresh(*, stage_id: int, token: int | None = None) -> bool:
    """Work out and store a stage's figures, unless a newer request will (``token`` is not the latest) or they
    already answer this one. ``token`` None: work them out now, whatever was asked. Whether it stored them."""
    latest = StageConfidence.objects.filter(stage_id=stage_id).values_list("requested", "computed_for").first()
    if token is not None:
        if latest is None or latest[0] != token:
            return False
        if latest[1] is not None and latest[1] >= token:
            return False
    stage = Stage.objects.select_related("page").filter(pk=stage_id).first()
    if stage is None:
        return False
    figures, lines = confidence_compute(stage)
    return _store(stage, token if token is not None else (latest[0] if latest else 0), figures, lines)


def _z_scores(judges: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Each review's z against its judge's own totals, as ``selectors.ranking`` states the normalisation."""
    _, index = np.unique(judges, return_inverse=True)
    count = np.bincount(index)
    mean = np.bincount(index, weights=totals) / count
    variance = np.bincount(index, weights=totals * totals) / count - mean * mean
    divisor = np.where(variance > VARIANCE_FLOOR, np.sqrt(np.maximum(variance, 0.0)), 0.0)
    safe = np.where(divisor > 0, divisor, 1.0)
    return np.where(divisor[index] > 0, (totals - mean[index]) / safe[index], 0.0)


def confidence_compute(stage) -> tuple[dict, list[ProposalConfidence]]:
    """The stage's figures (the fields of ``StageConfidence``) and one unsaved ``ProposalConfidence`` per ranked
    proposal, from its counted reviews as they are now. Reads; writes nothing."""
    order = [row.proposal_id for row in ranking_order(challenge=stage.page, stage=stage) if row.rank is not None]
    position = {proposal_id: index for index, proposal_id in enumerate(order)}
    reviews = [row for row in counted_reviews(stage, proposal_ids=None, judge_ids=None) if row[0] in position]
    reviews.sort(key=lambda row: (position[row[0]], row[1]))
    proposals = np.array([row[0] for row in reviews], dtype=np.int64)
    judges = np.array([row[1] for row in reviews], dtype=np.int64)
    totals = np.array([row[2] for row in reviews], dtype=np.float64)
    scores = [row for row in counted_scores(stage) if row[0] in position]

    overall = interval_alpha(proposals, totals)
    by_criterion: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    for proposal_id, _, criterion_id, value, _ in scores:
        units, values = by_criterion[criterion_id]
        units.append(proposal_id)
        values.append(value)
    criteria = []
    for criterion in criteria_from_raw(stage.rubric.raw_data):
        units, values = by_criterion.get(criterion.id, ([], []))
        criteria.append({"id": criterion.id, "name": criterion.name, "alpha": interval_alpha(units, values).alpha})

    places = stage.places
    reviewed = set(proposals.tolist())
    ranked = [proposal_id for proposal_id in order if proposal_id in reviewed]
    lines: list[ProposalConfidence] = []
    close_calls = 0
    if reviews:
        kept = {proposal_id: index for index, proposal_id in enumerate(ranked)}
        stability = resample(
            [kept[proposal_id] for proposal_id in proposals.tolist()],
            _z_scores(judges, totals),
            count=len(ranked),
            places=places,
            draws=DRAWS,
            seed=SEED,
        )
        close_calls = int(stability.close_call.sum())
        lines = [
            ProposalConfidence(
                stage_id=stage.pk,
                proposal_id=proposal_id,
                chance=float(stability.chance[index]),
                low=round(float(stability.low[index]), 6),
                high=round(float(stability.high[index]), 6),
                close_call=bool(stability.close_call[index]),
            )
            for index, proposal_id in enumerate(ranked)
        ]
    calibration = calibrate(
        proposals,
        judges,
        totals,
        [row[1] for row in scores],
        [row[3] <= 0 or row[3] >= row[4] for row in scores],
    )
    figures = {
        "places": places,
        "draws": DRAWS,
        "seed": SEED,
        "judges": len(calibration),
        "reviews": len(reviews),
        "ranked": len(ranked),
        "alpha": overall.alpha,
        "criteria": criteria,
        "close_calls": close_calls,
        "calibration": [judge.as_json() for judge in calibration],
    }
    return figures, lines


@transaction.atomic
def _store(stage, token: int, figures: dict, lines: list[ProposalConfidence]) -> bool:
    row, _ = StageConfidence.objects.select_for_update().get_or_create(stage_id=stage.pk)
    if row.computed_for is not None and row.computed_for > token:
        return False
    ProposalConfidence.objects.filter(stage_id=stage.pk).delete()
    ProposalConfidence.objects.bulk_create(lines, batch_size=2000)
    for name, value in figures.items():
        setattr(row, name, value)
    row.computed_for, row.computed_at = token, timezone.now()
    row.save()
    if stage.page.announced_at:
        _public_record_changed()
    return True


def _public_record_changed() -> None:
    """An announced challenge's public decision record shows the panel-level figures: cached pages must go."""
    transaction.on_commit(page_cache_purge)
    transaction.on_commit(new_generation)
