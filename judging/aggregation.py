"""Turn judges' scores into one ranking per challenge, with the arithmetic done by the database.

A panel's judges do not mark alike: one scores everything low, another everything high, and which proposals
each happened to review then decides the raw mean more than the proposals do. So beside the raw mean the
ranking carries a per-judge normalised score, and it is that score the ranking sorts by. Every number below
can be worked out by hand from the scores:

- Only *submitted* reviews count, of the challenge's proposals that have reached assessment (``RANKED`` in
  submissions/models.py: in assessment, moderation, and every decision after); drafts are work in progress.
- Review total (0 to 100) = 100 * sum(weight * value / scale_max) / sum(weight), over that review's scores.
  The weight and scale are those copied on to each score, so a review keeps the rubric it was scored
  against. A submitted review with no weighted score (no scores, or every weight 0) has no total and
  counts nowhere.
- Raw mean of a proposal = the average of its review totals; ``review_count`` = how many totals there are.
- Normalised score, within this one challenge: each judge has the mean ``mu`` and the population standard
  deviation ``sd`` of their own review totals; a review's ``z = (total - mu) / sd``, or 0 when ``sd`` is 0
  (which includes a judge with one review). A proposal's normalised score = the average of its reviews' z.
- Spread = highest minus lowest review total of the proposal (0 with one review); ``flagged`` when the
  spread is more than the threshold in points (``JUDGING_SPREAD_THRESHOLD``, default 25): 25 is not flagged.
- Rank 1, 2, 3... by normalised score (highest first), then raw mean (highest first), then reference, then
  id. Proposals without a review total come last, in reference order, with rank ``None``.
- Criterion means: per proposal, the average value its counted reviews gave each criterion (criterion id to
  mean value, on that criterion's own scale).

Raw means, normalised scores, spreads, criterion means and judges' totals are rounded to 6 decimal places,
so that float noise (25.000000000000004) can neither flip a flag at the threshold nor decide a tie, and
SQLite and PostgreSQL give the same ranking.

How: two queries whatever the number of proposals, three when some scores are on criteria the rubric no
longer has. The first returns one row per counted review: its total (SUM over its scores, grouped by
review), its z from window functions over the judge's totals (``mu = AVG(total) OVER judge``,
``sd = SQRT(AVG(total * total) OVER judge - mu * mu)``, the population form because SQLite has no
standard-deviation window), and its value on each rubric criterion. SQL cannot aggregate over a window in
the same query, so the few rows of each proposal are summed in Python; the score table is read once. The
second query reads the proposals. ``bench/ranking.py`` times it at 10,000 proposals (bench/README.md).
"""

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Avg, Case, Count, F, FloatField, Func, Q, QuerySet, Sum, Value, When, Window
from django.db.models.functions import Cast, NullIf, Sqrt
from django.db.models.lookups import GreaterThan

from submissions.models import RANKED, Proposal

from .models import ReviewStatus, Score
from .rubric import criteria_from_raw

if TYPE_CHECKING:
    from challenges.models import ChallengePage

DEFAULT_SPREAD_THRESHOLD = 25
PLACES = 6
VARIANCE_FLOOR = 1e-9
"""Variances below this are float noise from AVG(x * x) - AVG(x) ** 2 (totals are at most 100): sd counts as 0."""


@dataclass(frozen=True)
class RankedProposal:
    """One line of the ranking: plain values, so a page, an export and a test read the same thing.

    ``raw_mean``, ``normalised`` and ``spread`` are None, and ``rank`` too, for a proposal without a review total.
    """

    proposal_id: int
    reference: str
    title: str
    organisation_name: str
    status: str
    review_count: int
    raw_mean: float | None
    normalised: float | None
    spread: float | None
    flagged: bool
    rank: int | None
    criterion_means: dict[str, float]


class _AvgOverAggregate(Func):
    """AVG for a window over per-review totals. SQL allows AVG(SUM(x)) OVER (...) after a GROUP BY; Django's Avg
    refuses an aggregate argument, so this spells the same function without that check."""

    function = "AVG"
    window_compatible = True
    output_field = FloatField()


class _OverWindows(Func):
    """Arithmetic on aggregates and windows only. Django would GROUP BY any expression that is not itself an
    aggregate, window included, which no database accepts; everything inside is computed after the grouping."""

    template = "%(expressions)s"
    contains_over_clause = True
    output_field = FloatField()

    def get_group_by_cols(self):
        return []


def _float(expression) -> Cast:
    return Cast(expression, output_field=FloatField())


def _counted_scores(challenge: "ChallengePage") -> QuerySet[Score]:
    return Score.objects.filter(
        review__status=ReviewStatus.SUBMITTED,
        review__assignment__proposal__challenge=challenge,
        review__assignment__proposal__status__in=RANKED,
    ).order_by()


def _review_totals(challenge: "ChallengePage") -> QuerySet:
    """Counted scores grouped by review: its proposal, its judge and its total (NULL if no weight)."""
    weighted = _float("weight") * _float("value") / _float("scale_max")
    return (
        _counted_scores(challenge)
        .values("review_id", "review__assignment__proposal_id", "review__assignment__judge_id")
        .annotate(total=Value(100.0) * Sum(weighted) / NullIf(Sum(_float("weight")), Value(0.0)))
    )


def _review_rows(challenge: "ChallengePage", criterion_ids: list[str]) -> QuerySet:
    """Per review: proposal id, total, z, how many of its scores are off the rubric, then its value on each
    rubric criterion (NULL where it has none), in rubric order."""
    by_judge = {"partition_by": [F("review__assignment__judge_id")]}
    mean = Window(_AvgOverAggregate(F("total")), **by_judge)
    variance = Window(_AvgOverAggregate(F("total") * F("total")), **by_judge) - mean * mean
    z = Case(
        When(GreaterThan(variance, Value(VARIANCE_FLOOR)), then=(F("total") - mean) / Sqrt(variance)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    values = {f"criterion_{n}": Sum("value", filter=Q(criterion_id=key)) for n, key in enumerate(criterion_ids)}
    off_rubric = Count("pk", filter=~Q(criterion_id__in=criterion_ids)) if criterion_ids else Count("pk")
    return (
        _review_totals(challenge)
        .annotate(z=_OverWindows(z), off_rubric=off_rubric, **values)
        .values_list("review__assignment__proposal_id", "total", "z", "off_rubric", *values)
    )


def _tally(rows, width: int) -> tuple[dict[int, list], bool]:
    """Running sums per proposal: [totals counted, sum of totals, sum of z, lowest, highest], then a (sum, count)
    pair per criterion; and whether any score was off the rubric. One flat list per proposal, not a container
    per review: allocating 50,000 of those sets Python's garbage collector rescanning the heap, tripling the time."""
    tallies: dict[int, list] = {}
    off_rubric = False
    for row in rows:
        tally = tallies.get(row[0])
        if tally is None:
            tally = tallies[row[0]] = [0, 0.0, 0.0, math.inf, -math.inf] + [0] * (2 * width)
        total = row[1]
        if total is not None:
            tally[0] += 1
            tally[1] += total
            tally[2] += row[2]
            tally[3] = min(tally[3], total)
            tally[4] = max(tally[4], total)
        off_rubric = off_rubric or row[3] > 0
        for position in range(width):
            value = row[4 + position]
            if value is not None:
                tally[5 + 2 * position] += value
                tally[6 + 2 * position] += 1
    return tallies, off_rubric


def _figures(tally: list, criterion_ids: list[str]) -> dict:
    """A proposal's review count, raw mean, normalised score, spread and criterion means, from its tally."""
    count, totals, zs, low, high = tally[:5]
    means = {
        key: round(tally[5 + 2 * position] / tally[6 + 2 * position], PLACES)
        for position, key in enumerate(criterion_ids)
        if tally[6 + 2 * position]
    }
    if not count:
        return {"criterion_means": means}
    return {
        "review_count": count,
        "raw_mean": round(totals / count, PLACES),
        "normalised": round(zs / count, PLACES),
        "spread": round(high - low, PLACES),
        "criterion_means": means,
    }


def _criterion_means(challenge: "ChallengePage") -> dict[int, dict[str, float]]:
    """Every criterion's mean, those off the rubric included: a second pass over the scores, needed only when
    the rubric changed after judges scored."""
    rows = (
        _counted_scores(challenge)
        .values_list("review__assignment__proposal_id", "criterion_id")
        .annotate(mean=Avg(_float("value")))
    )
    means: dict[int, dict[str, float]] = defaultdict(dict)
    for proposal_id, criterion_id, mean in rows:
        means[proposal_id][criterion_id] = round(mean, PLACES)
    return means


def _threshold(threshold: float | None) -> float:
    if threshold is None:
        threshold = getattr(settings, "JUDGING_SPREAD_THRESHOLD", DEFAULT_SPREAD_THRESHOLD)
    return float(threshold)


def _order(row: dict) -> tuple:
    if row["spread"] is None:
        return (1, 0.0, 0.0, row["reference"], row["proposal_id"])
    return (0, -row["normalised"], -row["raw_mean"], row["reference"], row["proposal_id"])


def challenge_ranking(*, challenge: "ChallengePage", threshold: float | None = None) -> list[RankedProposal]:
    """Every proposal of the challenge that reached assessment, ranked; those without a review total come last,
    unranked."""
    limit = _threshold(threshold)
    criterion_ids = [criterion.id for criterion in criteria_from_raw(challenge.rubric.raw_data)]
    tallies, off_rubric = _tally(_review_rows(challenge, criterion_ids), len(criterion_ids))
    exact_means = _criterion_means(challenge) if off_rubric else None
    proposals = (
        Proposal.objects.filter(challenge=challenge, status__in=RANKED)
        .order_by()
        .values_list("pk", "reference", "title", "organisation__name", "status")
    )

    rows = []
    for pk, reference, title, organisation_name, status in proposals:
        row = {
            "proposal_id": pk,
            "reference": reference or "",
            "title": title,
            "organisation_name": organisation_name,
            "status": status,
            "review_count": 0,
            "raw_mean": None,
            "normalised": None,
            "spread": None,
            "flagged": False,
            "rank": None,
            "criterion_means": {},
        }
        if pk in tallies:
            row.update(_figures(tallies[pk], criterion_ids))
        if row["spread"] is not None:
            row["flagged"] = row["spread"] > limit
        if exact_means is not None:
            row["criterion_means"] = exact_means.get(pk, {})
        rows.append(row)
    rows.sort(key=_order)
    for position, row in enumerate(rows, start=1):
        if row["spread"] is not None:
            row["rank"] = position
    return [RankedProposal(**row) for row in rows]


def judge_distributions(*, challenge: "ChallengePage") -> dict[int, list[float]]:
    """Each judge's review totals on the challenge, lowest first: the raw material of a calibration chart."""
    distributions: dict[int, list[float]] = defaultdict(list)
    for judge_id, total in _review_totals(challenge).values_list("review__assignment__judge_id", "total"):
        if total is not None:
            distributions[judge_id].append(round(total, PLACES))
    return {judge_id: sorted(totals) for judge_id, totals in distributions.items()}
