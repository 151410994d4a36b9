"""How well a panel's judges agree: Krippendorff's alpha at the interval level, and what it means in words.

Alpha compares the disagreement between the judges who scored the same proposal with the disagreement expected
if the scores were shuffled between proposals: 1 means every judge gave every proposal the same score, 0 means
they agree no more than chance, and a negative value that they disagree more than chance would. Interval level:
a 2 against a 4 is twice as far apart as a 2 against a 3 (the squared difference).

It is worked out in closed form, in one pass over the values, rather than through a value-by-value coincidence
matrix as the ``krippendorff`` package does, because review totals take thousands of distinct values at scale
(a matrix of their squares would not fit). For the interval metric the two are the same sum:

- only values in *pairable* units count: a proposal with at least two values (``m_u >= 2``); ``n`` is their number;
- observed disagreement ``D_o = (1/n) * sum_u (2 * m_u * SS_u / (m_u - 1))``, where ``SS_u`` is the sum of squared
  deviations from the unit's own mean (``sum_{i != j} (a_i - a_j)^2 = 2 * m * SS``);
- expected disagreement ``D_e = 2 * SS / (n - 1)``, with ``SS`` the squared deviations of all ``n`` values from
  their mean;
- ``alpha = 1 - D_o / D_e``. It cannot be worked out (None) with fewer than two pairable values, or when every
  pairable value is the same (``D_e = 0``).

tests/judging/test_agreement.py checks it against Krippendorff's own published example (alpha 0.849) and the
``krippendorff`` package on random panels.
"""

from typing import NamedTuple

import numpy as np

WELL = 0.8
MODERATELY = 0.667
"""Krippendorff's own guidance (Content Analysis, 2004, section 11.4.4): rely on data with alpha of at least 0.800;
between 0.667 and 0.800 draw only tentative conclusions; below 0.667, do not rely on them."""


class Agreement(NamedTuple):
    alpha: float | None
    units: int
    """Units (proposals) with at least two values: the ones alpha is worked out from."""
    values: int
    """Values in those units."""


def interval_alpha(units, values) -> Agreement:
    """Alpha of ``values`` (numbers) each given to the unit at the same position of ``units`` (any hashable ids
    or integers)."""
    units = np.asarray(units)
    values = np.asarray(values, dtype=np.float64)
    if values.size == 0:
        return Agreement(None, 0, 0)
    _, index = np.unique(units, return_inverse=True)
    counts = np.bincount(index)
    pairable = counts[index] >= 2
    index, values = index[pairable], values[pairable]
    n = values.size
    if n < 2:
        return Agreement(None, 0, 0)
    counts = np.bincount(index)
    sums = np.bincount(index, weights=values)
    squares = np.bincount(index, weights=values * values)
    present = counts >= 2
    m, sums, squares = counts[present].astype(np.float64), sums[present], squares[present]
    within = np.maximum(squares - sums * sums / m, 0.0)
    observed = float(np.sum(2.0 * m * within / (m - 1.0))) / n
    spread = float(np.sum((values - values.mean()) ** 2))
    expected = 2.0 * spread / (n - 1)
    if expected <= 1e-12:
        return Agreement(None, int(present.sum()), n)
    return Agreement(1.0 - observed / expected, int(present.sum()), n)


def reading(alpha: float | None) -> str:
    """The plain reading of an alpha: "well", "moderately" or "poorly" (how the judges agree); "" for None."""
    if alpha is None:
        return ""
    if alpha >= WELL:
        return "well"
    if alpha >= MODERATELY:
        return "moderately"
    return "poorly"


THRESHOLDS = (
    f"Judges agree well when alpha is {WELL:.2f} or more, moderately from {MODERATELY:.3f} to just under {WELL:.2f}, "
    f"and poorly below {MODERATELY:.3f} (Krippendorff's own guidance: below {MODERATELY:.3f}, do not rely on the "
    "scores alone). 1 is perfect agreement; 0 is no more agreement than chance."
)
"""The thresholds in words, as the results page states them."""
