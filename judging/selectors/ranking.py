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
- Rank 1, 2, 3... by normalised score (highest first). Equal normalised scores are placed by ``TIE_RULE``, one
  rule stated on the results page and applied by ``TIE_BREAKS``: the higher raw mean, then the more submitted
  reviews, then the earlier submission (the proposal's ``submitted_at``), then the reference (then the id, which
  only a duplicate reference would reach). A tied row's ``tie_break`` says which step placed it. Proposals
  without a review total come last, in reference order, with rank ``None``.
- Criterion means: per proposal, the average value its counted reviews gave each criterion (criterion id to
  mean value, on that criterion's own scale).

Raw means, normalised scores, spreads, criterion means and judges' totals are rounded to 6 decimal places,
so that float noise (25.000000000000004) can neither flip a flag at the threshold nor decide a tie, and
SQLite and PostgreSQL give the same ranking.

How, for 10,000 proposals x 5 judges x 6 criteria: the figures are kept. ``judging.services.standing`` keeps, per
stage, each judge's count, sum and sum of squares of totals and each proposal's count, sum of totals, sum of z,
lowest and highest total and criterion means, rewriting them in the same transaction as whatever changes them
(``judging/signals.py``). ``ranking_order`` and ``challenge_ranking`` read them in one query and round and sort
in Python; the results page has the database order them and return one page (``ranking_page``).

``computed_rows`` keeps the computation from scratch, for the tests to compare with: one query, the counted
reviews' totals (``Review.total``, written by review_submit with the formula above; a review submitted without one
has it worked out from its scores in the same query); per judge ``mu = AVG(total)`` and ``sd = SQRT(AVG(total *
total) - mu * mu)`` (the population form, because SQLite has no standard-deviation function) by GROUP BY judge;
per proposal, by GROUP BY proposal, the count, sum of totals, sum of z, lowest and highest; the proposals LEFT
JOIN those sums. ``computed_ranking`` adds criterion means read from every score. ``bench/ranking.py`` times
both paths at 10,000 proposals.
"""

from collections import defaultdict
from collections.abc import Callable
from operator import itemgetter
from typing import TYPE_CHECKING, NamedTuple

from django.conf import settings
from django.db import connection
from django.db.models import Avg, Count, F, FloatField, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, NullIf

from submissions.models import Proposal

from ..models import ProposalStanding, Review, ReviewStatus, Score
from ..rubric import criteria_from_raw
from .stages import judging_stage, ranked_in

if TYPE_CHECKING:
    from challenges.models import ChallengePage

DEFAULT_SPREAD_THRESHOLD = 25
PLACES = 6
VARIANCE_FLOOR = 1e-9
"""Variances below this are float noise from AVG(x * x) - AVG(x) ** 2 (totals are at most 100): sd counts as 0."""


class RankedProposal(NamedTuple):
    """One line of the ranking: plain values, so a page, an export and a test read the same thing. A named
    tuple rather than a frozen dataclass: as immutable, and five times quicker to build 10,000 of.

    ``raw_mean``, ``normalised`` and ``spread`` are None, and ``rank`` too, for a proposal without a review total.
    ``criterion_means`` is empty until ``with_criterion_means`` fills it.
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
    tie_break: str = ""
    """For a row whose normalised score equals a neighbour's: the step of ``TIE_BREAKS`` that placed it."""
    chance: float | None = None
    """Its chance (0 to 1) of the stage's places when the panel is resampled; None until worked out."""
    low: float | None = None
    high: float | None = None
    """The interval of its normalised score over the resamples."""
    close_call: bool = False


class Candidate(NamedTuple):
    """What the tie-breaks read of a ranked proposal."""

    raw_mean: float
    review_count: int
    submitted_at: object
    reference: str


def _earliest_first(moment) -> tuple:
    """Earlier first; a proposal without a submission time (a received one always has one) last. ``moment`` is as
    the database returns it, a UTC datetime, so the comparison never mixes types."""
    return (moment is None, moment or 0)


class TieBreak(NamedTuple):
    words: str
    key: Callable[[Candidate], object]


TIE_BREAKS: tuple[TieBreak, ...] = (
    TieBreak("the higher raw mean", lambda c: -c.raw_mean),
    TieBreak("the more submitted reviews", lambda c: -c.review_count),
    TieBreak("the earlier submission", lambda c: _earliest_first(c.submitted_at)),
    TieBreak("the reference", lambda c: c.reference),
)
"""How proposals with the same normalised score are placed, in turn: the ordering and ``TIE_RULE`` both read it."""

TIE_RULE = (
    "Proposals with the same normalised score are placed by " + ", then ".join(step.words for step in TIE_BREAKS) + "."
)
"""The tie rule in words, as the results page states it."""


def _tie_keys(candidate: Candidate) -> tuple:
    return tuple(step.key(candidate) for step in TIE_BREAKS)


def _deciding_step(keys: tuple, other: tuple) -> str:
    """The words of the first tie-break on which two tied rows differ."""
    return next(
        (step.words for step, a, b in zip(TIE_BREAKS, keys, other, strict=True) if a != b), TIE_BREAKS[-1].words
    )


def _float(expression) -> Cast:
    return Cast(expression, output_field=FloatField())


def _counted_scores(stage) -> QuerySet[Score]:
    return Score.objects.filter(
        ranked_in(stage, "review__assignment__proposal__"),
        review__status=ReviewStatus.SUBMITTED,
        review__assignment__stage=stage,
    ).order_by()


def _review_totals(stage) -> tuple[str, tuple]:
    """SQL for the counted reviews: ``proposal``, ``judge`` and ``counted``, the review's total or NULL.

    Two branches, UNION ALL: reviews with a stored total, read from the review table alone; and reviews
    submitted without one (written before totals were stored, or by a bulk load), whose total comes from their
    scores. The planner sizes the second branch from the column's statistics, so it costs nothing while every
    total is stored; a COALESCE with a correlated subquery would be costed for every row, enough to set
    PostgreSQL compiling the query with JIT, which alone took longer than the whole ranking.
    """
    counted = {"status": ReviewStatus.SUBMITTED, "assignment__stage": stage}
    in_ranking = ranked_in(stage, "assignment__proposal__")
    stored = (
        Review.objects.filter(in_ranking, total__isnull=False, **counted)
        .order_by()
        .values(proposal=F("assignment__proposal_id"), judge=F("assignment__judge_id"), counted=F("total"))
    )
    weighted = _float("weight") * _float("value") / _float("scale_max")
    computed = (
        Score.objects.filter(
            ranked_in(stage, "review__assignment__proposal__"),
            review__total__isnull=True,
            **{f"review__{key}": value for key, value in counted.items()},
        )
        .order_by()
        .values("review", proposal=F("review__assignment__proposal_id"), judge=F("review__assignment__judge_id"))
        .annotate(counted=Value(100.0) * Sum(weighted) / NullIf(Sum(_float("weight")), Value(0.0)))
        .values("proposal", "judge", "counted")
    )
    return stored.union(computed, all=True).query.sql_with_params()


def _ranked_proposals(stage) -> QuerySet:
    return (
        Proposal.objects.filter(ranked_in(stage))
        .order_by()
        .values("id", "reference", "title", "status", "submitted_at", organisation_name=F("organisation__name"))
    )


ORDER_SQL = """
WITH reviews AS ({reviews}),
judges AS (
    SELECT judge, AVG(counted) AS mu, AVG(counted * counted) - AVG(counted) * AVG(counted) AS variance
    FROM reviews
    GROUP BY judge
),
sums AS (
    SELECT r.proposal, COUNT(r.counted) AS n, SUM(r.counted) AS total_sum,
           SUM(CASE WHEN j.variance > %s THEN (r.counted - j.mu) / SQRT(j.variance) ELSE 0.0 END) AS z_sum,
           MIN(r.counted) AS low, MAX(r.counted) AS high
    FROM reviews r JOIN judges j ON j.judge = r.judge
    GROUP BY r.proposal
)
SELECT p.id, p.reference, p.title, p.organisation_name, p.status, p.submitted_at,
       s.n, s.total_sum, s.z_sum, s.low, s.high
FROM ({proposals}) p LEFT JOIN sums s ON s.proposal = p.id
"""
"""Per judge mu and variance by GROUP BY, joined back to the reviews: the same figures as window functions
over the judge, with hashing instead of a sort of every review. Django's ORM cannot group a grouped derived
table, hence SQL around the querysets it compiles (which keep the filters and the quoting in one place)."""


def computed_rows(stage) -> list[tuple]:
    """Every line of a stage's ranking worked out from the reviews, as ``ranking_order`` did on every request
    before the figures were kept: what the tests compare the kept figures with."""
    proposals, proposal_params = _ranked_proposals(stage).query.sql_with_params()
    reviews, review_params = _review_totals(stage)
    with connection.cursor() as cursor:
        cursor.execute(
            ORDER_SQL.format(proposals=proposals, reviews=reviews),
            (*review_params, VARIANCE_FLOOR, *proposal_params),
        )
        return cursor.fetchall()


KEPT_COLUMNS = (
    "proposal_id",
    "proposal__reference",
    "proposal__title",
    "proposal__organisation__name",
    "proposal__status",
    "proposal__submitted_at",
    "review_count",
    "total_sum",
    "z_sum",
    "low",
    "high",
)


def _kept_rows(stage, *, means: bool = False) -> list[tuple]:
    """The same lines as ``computed_rows``, read from the figures ``services.standing`` keeps: one indexed query.
    With ``means``, each line ends with its criterion means."""
    columns = (*KEPT_COLUMNS, "criterion_means") if means else KEPT_COLUMNS
    return list(ProposalStanding.objects.filter(stage=stage).order_by().values_list(*columns))


def _threshold(threshold: float | None) -> float:
    if threshold is None:
        threshold = getattr(settings, "JUDGING_SPREAD_THRESHOLD", DEFAULT_SPREAD_THRESHOLD)
    return float(threshold)


def _rank(rows: list[tuple], threshold: float | None) -> list[RankedProposal]:
    """Lines (as ``computed_rows`` gives them, criterion means optionally last) rounded, flagged and sorted."""
    limit = _threshold(threshold)
    ranked, unranked = [], []
    for row in rows:
        pk, reference, title, organisation_name, status, submitted_at, count, totals, zs, low, high = row[:11]
        means = row[11] if len(row) > 11 else {}
        reference = reference or ""
        if count:
            raw_mean, normalised, spread = (
                round(totals / count, PLACES),
                round(zs / count, PLACES),
                round(high - low, PLACES),
            )
            figures = (
                pk,
                reference,
                title,
                organisation_name,
                status,
                count,
                raw_mean,
                normalised,
                spread,
                spread > limit,
            )
            ties = _tie_keys(Candidate(raw_mean, count, submitted_at, reference))
            ranked.append(((-normalised, ties, pk), figures, means))
        else:
            figures = (pk, reference, title, organisation_name, status, 0, None, None, None, False)
            unranked.append(((reference, pk), figures, means))
    ranked.sort(key=itemgetter(0))
    unranked.sort(key=itemgetter(0))
    result = [
        RankedProposal(*figures, position, means, _tie_break(ranked, position - 1))
        for position, (_, figures, means) in enumerate(ranked, start=1)
    ]
    result.extend(RankedProposal(*figures, None, means) for _, figures, means in unranked)
    return result


def ranking_order(*, challenge: "ChallengePage", stage=None, threshold: float | None = None) -> list[RankedProposal]:
    """Every proposal of one stage (the one being judged, unless told) that reached assessment there, ranked,
    without criterion means. Only that stage's reviews count, normalised against each judge's scores in it.
    One query, of the kept figures."""
    return _rank(_kept_rows(stage or judging_stage(challenge)), threshold)


def computed_ranking(*, challenge: "ChallengePage", stage=None, threshold: float | None = None) -> list[RankedProposal]:
    """``challenge_ranking`` worked out from every review and score instead of the kept figures (slow: tests)."""
    stage = stage or judging_stage(challenge)
    return _with_means(stage, _rank(computed_rows(stage), threshold), None)


def _tie_break(ranked: list, index: int) -> str:
    """For a row tied on normalised score with the next row, the step that placed it above; else, tied with the
    row before, the step that placed it below; "" when not tied."""
    score, keys, _ = ranked[index][0]
    for neighbour in (index + 1, index - 1):
        if 0 <= neighbour < len(ranked) and ranked[neighbour][0][0] == score:
            return _deciding_step(keys, ranked[neighbour][0][1])
    return ""


def _rubric_means(
    stage, criterion_ids: list[str], proposal_ids: list[int] | None
) -> tuple[dict[int, dict[str, float]], bool]:
    """Per proposal, the mean on each rubric criterion; and whether any score is on a criterion off the rubric."""
    scores = _counted_scores(stage)
    if proposal_ids is not None:
        scores = scores.filter(review__assignment__proposal_id__in=proposal_ids)
    columns = {
        f"criterion_{n}": Avg(_float("value"), filter=Q(criterion_id=key)) for n, key in enumerate(criterion_ids)
    }
    off_rubric = Count("pk", filter=~Q(criterion_id__in=criterion_ids)) if criterion_ids else Count("pk")
    rows = (
        scores.values("review__assignment__proposal_id")
        .annotate(off_rubric=off_rubric, **columns)
        .values_list("review__assignment__proposal_id", "off_rubric", *columns)
    )
    means: dict[int, dict[str, float]] = {}
    off = False
    for proposal_id, off_count, *values in rows:
        off = off or off_count > 0
        means[proposal_id] = {
            key: round(value, PLACES) for key, value in zip(criterion_ids, values, strict=True) if value is not None
        }
    return means, off


def _all_means(stage, proposal_ids: list[int] | None) -> dict[int, dict[str, float]]:
    """Every criterion's mean, those off the rubric included: a second pass over the scores, needed only when
    the rubric changed after judges scored."""
    scores = _counted_scores(stage)
    if proposal_ids is not None:
        scores = scores.filter(review__assignment__proposal_id__in=proposal_ids)
    rows = scores.values_list("review__assignment__proposal_id", "criterion_id").annotate(mean=Avg(_float("value")))
    means: dict[int, dict[str, float]] = defaultdict(dict)
    for proposal_id, criterion_id, mean in rows:
        means[proposal_id][criterion_id] = round(mean, PLACES)
    return means


def _with_means(stage, rows: list[RankedProposal], proposal_ids: list[int] | None) -> list[RankedProposal]:
    criterion_ids = [criterion.id for criterion in criteria_from_raw(stage.rubric.raw_data)]
    means, off_rubric = _rubric_means(stage, criterion_ids, proposal_ids)
    if off_rubric:
        means = _all_means(stage, proposal_ids)
    return [row._replace(criterion_means=means.get(row.proposal_id, {})) for row in rows]


def with_criterion_means(*, challenge: "ChallengePage", rows: list[RankedProposal], stage=None) -> list[RankedProposal]:
    """``rows`` (a page of the ranking) with their criterion means, read from the kept figures: one query for
    these proposals only. No query for no rows."""
    if not rows:
        return []
    stage = stage or judging_stage(challenge)
    means = dict(
        ProposalStanding.objects.filter(stage=stage, proposal_id__in=[row.proposal_id for row in rows]).values_list(
            "proposal_id", "criterion_means"
        )
    )
    return [row._replace(criterion_means=means.get(row.proposal_id) or {}) for row in rows]


def challenge_ranking(
    *, challenge: "ChallengePage", stage=None, threshold: float | None = None
) -> list[RankedProposal]:
    """Every proposal of a stage (the one being judged, unless told) that reached assessment there, ranked, with
    criterion means; those without a review total come last, unranked. One query, of the kept figures."""
    return _rank(_kept_rows(stage or judging_stage(challenge), means=True), threshold)


def judge_distributions(*, challenge: "ChallengePage", stage=None) -> dict[int, list[float]]:
    """Each judge's review totals in a stage, lowest first: the raw material of a calibration chart."""
    reviews, params = _review_totals(stage or judging_stage(challenge))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT judge, counted FROM ({reviews}) r WHERE counted IS NOT NULL", params)
        rows = cursor.fetchall()
    distributions: dict[int, list[float]] = defaultdict(list)
    for judge_id, total in rows:
        distributions[judge_id].append(round(total, PLACES))
    return {judge_id: sorted(totals) for judge_id, totals in distributions.items()}
