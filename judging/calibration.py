"""Each judge's calibration beyond their mean: how widely they spread their totals, how often they sit at the ends
of a criterion's scale, and how well their totals follow the rest of the panel's on the same proposals.

- Spread: the population standard deviation of the judge's review totals (0 to 100), as the calibration chart's
  table gives it.
- Ends of the scale: the share of their criterion scores at 0 or at the criterion's maximum.
- Correlation with the rest of the panel: Pearson's r between each of the judge's totals and the mean of the
  other judges' totals for the same proposal, over the proposals someone else reviewed too. None with fewer than
  ``MIN_PAIRS`` such proposals, or when either side does not vary.

A judge stands out ("far from the panel") for any of ``reasons``: a correlation below ``MIN_CORRELATION``; more
than ``MAX_ENDS`` of their scores at the ends; a spread under half or over twice the panel's median spread. Only the
challenge's managers ever see these figures: never the judges themselves, nor suppliers, nor the public.
"""

from typing import NamedTuple

import numpy as np

from core.formatting import format_percent

MIN_CORRELATION = 0.3
MAX_ENDS = 0.5
MIN_PAIRS = 3
SPREAD_RATIO = 2.0

RULES = (
    f"A judge is marked 'far from the panel' when their totals correlate with the rest of the panel's below "
    f"{MIN_CORRELATION:.1f}, when more than {format_percent(MAX_ENDS)} of their scores sit at either end of a "
    f"criterion's scale, or when their spread is under half or over {SPREAD_RATIO:.0f} times the panel's median spread."
)
"""The rules in words, as the results page states them."""


class JudgeCalibration(NamedTuple):
    judge_id: int
    reviews: int
    spread: float
    ends: float | None
    """Share (0 to 1) of the judge's criterion scores at 0 or the scale's maximum; None without scores."""
    correlation: float | None
    pairs: int
    reasons: tuple[str, ...]

    def as_json(self) -> dict:
        return self._asdict() | {"reasons": list(self.reasons)}


def _pearson(n, sx, sy, sxx, syy, sxy) -> float | None:
    if n < MIN_PAIRS:
        return None
    vx, vy = n * sxx - sx * sx, n * syy - sy * sy
    if vx <= 1e-9 * max(1.0, n * sxx) or vy <= 1e-9 * max(1.0, n * syy):
        return None
    return float(np.clip((n * sxy - sx * sy) / np.sqrt(vx * vy), -1.0, 1.0))


def calibrate(review_proposals, review_judges, totals, score_judges, at_ends) -> list[JudgeCalibration]:
    """Per judge (by id, in id order): ``totals[i]`` is a review by ``review_judges[i]`` of ``review_proposals[i]``;
    ``at_ends[k]`` says whether criterion score k, by ``score_judges[k]``, is at an end of its scale."""
    proposals = np.asarray(review_proposals)
    judges = np.asarray(review_judges)
    totals = np.asarray(totals, dtype=np.float64)
    if totals.size == 0:
        return []
    judge_ids, judge_index = np.unique(judges, return_inverse=True)
    _, proposal_index = np.unique(proposals, return_inverse=True)
    count = np.bincount(judge_index)
    mean = np.bincount(judge_index, weights=totals) / count
    spread = np.sqrt(np.maximum(np.bincount(judge_index, weights=totals * totals) / count - mean * mean, 0.0))

    per_count = np.bincount(proposal_index)
    per_sum = np.bincount(proposal_index, weights=totals)
    others = per_count[proposal_index] - 1
    paired = others > 0
    x, y = totals[paired], (per_sum[proposal_index][paired] - totals[paired]) / others[paired]
    j = judge_index[paired]
    sums = [np.bincount(j, weights=w, minlength=judge_ids.size) for w in (np.ones_like(x), x, y, x * x, y * y, x * y)]

    score_judges = np.asarray(score_judges)
    at_ends = np.asarray(at_ends, dtype=np.float64)
    position = {judge: index for index, judge in enumerate(judge_ids.tolist())}
    ends_index = np.array([position.get(judge, -1) for judge in score_judges.tolist()], dtype=np.int64)
    known = ends_index >= 0
    scored = np.bincount(ends_index[known], minlength=judge_ids.size)
    ended = np.bincount(ends_index[known], weights=at_ends[known], minlength=judge_ids.size)

    median_spread = float(np.median(spread)) if judge_ids.size > 1 else None
    result = []
    for index, judge_id in enumerate(judge_ids.tolist()):
        pairs = int(sums[0][index])
        correlation = _pearson(pairs, *(float(column[index]) for column in sums[1:]))
        ends = float(ended[index] / scored[index]) if scored[index] else None
        reasons = []
        if correlation is not None and correlation < MIN_CORRELATION:
            reasons.append(f"follows the rest of the panel poorly (correlation {correlation:.2f})")
        if ends is not None and ends > MAX_ENDS:
            reasons.append(f"scores at the ends of the scale {format_percent(ends)} of the time")
        if median_spread:
            if spread[index] < median_spread / SPREAD_RATIO:
                reasons.append(f"spreads totals much less than the panel (standard deviation {spread[index]:.1f})")
            elif spread[index] > median_spread * SPREAD_RATIO:
                reasons.append(f"spreads totals much more than the panel (standard deviation {spread[index]:.1f})")
        result.append(
            JudgeCalibration(
                int(judge_id),
                int(count[index]),
                round(float(spread[index]), 6),
                ends,
                correlation,
                pairs,
                tuple(reasons),
            )
        )
    return result
