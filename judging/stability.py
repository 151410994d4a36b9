"""Would a slightly different panel have picked different winners? The ranking's stability, by the bootstrap.

A proposal's normalised score is the mean of its reviews' z-scores (``selectors.ranking``). Each resample (draw)
picks, for every proposal, as many of its reviews as it has, at random with replacement, and ranks the proposals
by the mean z of the reviews picked, rounded to 6 places as the ranking's normalised score is, ties placed as the
ranking places them (by its order). Over ``draws``
resamples:

- ``chance``: the share of draws in which the proposal lands in the top ``places``;
- ``low``, ``high``: the 2.5th and 97.5th percentiles of its resampled score, a 95 % interval for its normalised
  score;
- a close call: a chance from ``CLOSE_LOW`` to ``CLOSE_HIGH``, both included.

The z-scores are those of the whole panel, so a harsh and a lenient judge who agree on the order do not make the
ranking look unstable: normalisation has already taken their offsets out. A proposal with a single review has
nothing to resample: its score never moves (the results page says so). The random generator is numpy's PCG64
with a fixed seed, so the same reviews always give the same figures.
"""

from typing import NamedTuple

import numpy as np

DRAWS = 1000
SEED = 20270
CLOSE_LOW, CLOSE_HIGH = 0.2, 0.8
PLACES = 6
"""Decimal places a resampled score is compared at: those of the ranking's normalised score."""
CHUNK = 100
"""Draws worked at once: 100 x 10,000 proposals x 5 reviews of indices is 40 MB, and keeps the sort fast."""


class Stability(NamedTuple):
    chance: np.ndarray
    low: np.ndarray
    high: np.ndarray
    close_call: np.ndarray


def is_close_call(chance: float) -> bool:
    return CLOSE_LOW <= chance <= CLOSE_HIGH


def resample(positions, scores, *, count: int, places: int, draws: int = DRAWS, seed: int = SEED) -> Stability:
    """The stability of ``count`` proposals, numbered 0 to count - 1 in ranking order (best first), from their
    reviews' z-scores: ``scores[i]`` belongs to proposal ``positions[i]``. Every proposal needs at least one."""
    positions = np.asarray(positions, dtype=np.int64)
    scores = np.asarray(scores, dtype=np.float64)
    if count == 0:
        empty = np.zeros(0)
        return Stability(empty, empty, empty, np.zeros(0, dtype=bool))
    order = np.argsort(positions, kind="stable")
    positions, scores = positions[order], scores[order]
    sizes = np.bincount(positions, minlength=count)
    if (sizes == 0).any():
        raise ValueError("Every proposal resampled needs at least one review score.")
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    groups = [
        (np.flatnonzero(sizes == size), size) for size in np.unique(sizes)
    ]  # proposals with the same number of reviews are resampled together, as one matrix
    matrices = [scores[starts[members][:, None] + np.arange(size)] for members, size in groups]

    rng = np.random.default_rng(seed)
    places = min(places, count)
    in_top = np.zeros(count, dtype=np.int64)
    sampled = np.empty((draws, count), dtype=np.float64)
    for first in range(0, draws, CHUNK):
        batch = min(CHUNK, draws - first)
        means = sampled[first : first + batch]
        for (members, size), matrix in zip(groups, matrices, strict=True):
            if size == 1:
                means[:, members] = matrix[:, 0]
                continue
            picks = rng.integers(0, size, size=(batch, members.size, size))
            means[:, members] = np.take_along_axis(matrix[None, :, :], picks, axis=2).mean(axis=2)
        # Rounded as the ranking rounds normalised scores, so float noise (1.000000000000004 against 0.9999999999999997)
        # never decides a tie; a stable sort then keeps tied proposals in ranking order, as the tie rule placed them.
        top = np.argsort(-np.round(means, PLACES), axis=1, kind="stable")[:, :places]
        in_top += np.bincount(top.ravel(), minlength=count)
    chance = in_top / draws
    low, high = np.percentile(sampled, [2.5, 97.5], axis=0)
    return Stability(chance, low, high, (chance >= CLOSE_LOW) & (chance <= CLOSE_HIGH))
