"""Krippendorff's alpha (interval), worked out in closed form, against Krippendorff's own published example and the
``krippendorff`` package; and the plain reading the results page gives it."""

import math

import numpy as np
import pytest

from judging.agreement import THRESHOLDS, interval_alpha, reading

NAN = math.nan

PUBLISHED = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]
"""Four observers (rows) value twelve units (columns), some missing: Krippendorff, "Computing Krippendorff's
Alpha-Reliability" (2011), section C. He gives alpha = 0.849 at the interval level."""


def pairs(matrix) -> tuple[list[int], list[float]]:
    """(unit, value) for every value given in an observers x units matrix."""
    units, values = [], []
    for row in matrix:
        for unit, value in enumerate(row):
            if not math.isnan(value):
                units.append(unit)
                values.append(value)
    return units, values


def test_the_published_example_gives_krippendorffs_own_figure():
    agreement = interval_alpha(*pairs(PUBLISHED))
    assert round(agreement.alpha, 3) == 0.849
    # Unit 12 has a single value: it is not pairable, so 11 units and 40 of the 41 values count.
    assert (agreement.units, agreement.values) == (11, 40)


def test_worked_by_hand_on_two_units():
    # Units {1, 3} and {2, 2}: within-unit squared differences 2 * (1 - 3)^2 = 8 (ordered pairs), so D_o = 8 / 4 = 2;
    # all four values 1, 3, 2, 2 have mean 2 and squared deviations 2, so D_e = 2 * 2 / 3; alpha = 1 - 2 / (4/3).
    assert interval_alpha([1, 1, 2, 2], [1, 3, 2, 2]).alpha == pytest.approx(1 - 2 / (4 / 3))


@pytest.mark.parametrize("seed", range(6))
def test_the_same_as_the_krippendorff_package_on_random_panels_with_gaps(seed):
    krippendorff = pytest.importorskip("krippendorff", reason="the krippendorff package is a dev requirement")
    rng = np.random.default_rng(seed)
    matrix = rng.integers(0, 6, size=(5, 60)).astype(float)
    matrix += np.arange(60) % 4  # some real differences between units, so alpha is not only chance
    matrix[rng.random(matrix.shape) < 0.35] = NAN
    expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="interval")
    assert interval_alpha(*pairs(matrix)).alpha == pytest.approx(expected, abs=1e-9)


def test_judges_who_agree_perfectly_have_alpha_1():
    units = [unit for unit in range(10) for _ in range(3)]
    values = [unit % 6 for unit in range(10) for _ in range(3)]
    assert interval_alpha(units, values).alpha == pytest.approx(1.0)


def test_random_scores_have_alpha_near_0():
    rng = np.random.default_rng(7)
    units = np.repeat(np.arange(3000), 5)
    alpha = interval_alpha(units, rng.integers(0, 6, size=units.size)).alpha
    assert abs(alpha) < 0.03


@pytest.mark.parametrize(
    ("units", "values"),
    [([], []), ([1, 2, 3], [1, 2, 3]), ([1, 1, 2, 2], [3, 3, 3, 3])],
    ids=["no values", "no unit with two values", "every value the same"],
)
def test_alpha_cannot_be_worked_out_without_pairs_or_variation(units, values):
    assert interval_alpha(units, values).alpha is None


@pytest.mark.parametrize(
    ("alpha", "words"),
    [(1.0, "well"), (0.8, "well"), (0.7999, "moderately"), (0.667, "moderately"), (0.6669, "poorly"),
     (0.0, "poorly"), (-0.3, "poorly"), (None, "")],
)  # fmt: skip
def test_the_plain_reading_follows_the_stated_thresholds(alpha, words):
    assert reading(alpha) == words
    assert "0.80 or more" in THRESHOLDS and "below 0.667" in THRESHOLDS
