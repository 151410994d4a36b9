"""The ranking's stability when the panel's reviews are resampled (``judging.stability.resample``)."""

import numpy as np
import pytest

from judging.stability import CLOSE_HIGH, CLOSE_LOW, is_close_call, resample


def test_a_clear_order_gives_certain_places():
    # Three reviews each, every one of proposal 0's above every one of proposal 1's, and so on.
    positions = np.repeat(np.arange(5), 3)
    scores = np.repeat([2.0, 1.0, 0.0, -1.0, -2.0], 3) + np.tile([-0.1, 0.0, 0.1], 5)
    result = resample(positions, scores, count=5, places=2)
    assert result.chance.tolist() == [1.0, 1.0, 0.0, 0.0, 0.0]
    assert not result.close_call.any()
    assert result.low[0] == pytest.approx(1.9) and result.high[0] == pytest.approx(2.1)


def test_two_proposals_whose_reviews_overlap_share_the_last_place():
    # Proposals 1 and 2 both have reviews of 1 and -1, so each draw's mean is 1, 0 or -1 (1/4, 1/2, 1/4). They tie
    # with probability 1/16 + 1/4 + 1/16 = 3/8, and the tie goes to proposal 1, ranked above: 1 takes the second
    # place in 5/16 + 3/8 = 11/16 of the draws, proposal 2 in 5/16.
    positions = [0, 0, 1, 1, 2, 2]
    scores = [3.0, 3.0, 1.0, -1.0, 1.0, -1.0]
    result = resample(positions, scores, count=3, places=2, draws=2000)
    assert result.chance[0] == 1.0
    assert result.chance[1] == pytest.approx(11 / 16, abs=0.03)
    assert result.chance[2] == pytest.approx(5 / 16, abs=0.03)
    assert result.chance.sum() == pytest.approx(2.0)
    assert result.close_call.tolist() == [False, True, True]


def test_equal_scores_are_placed_in_ranking_order():
    result = resample([0, 1, 2], [0.5, 0.5, 0.5], count=3, places=1)
    assert result.chance.tolist() == [1.0, 0.0, 0.0]


def test_a_fixed_seed_gives_the_same_figures_every_time():
    rng = np.random.default_rng(3)
    positions = np.repeat(np.arange(40), 4)
    scores = rng.normal(size=positions.size)
    first = resample(positions, scores, count=40, places=5)
    second = resample(positions, scores, count=40, places=5)
    assert first.chance.tolist() == second.chance.tolist()
    assert first.low.tolist() == second.low.tolist()
    assert resample(positions, scores, count=40, places=5, seed=1).chance.tolist() != first.chance.tolist()


def test_more_places_than_proposals_puts_every_proposal_in():
    result = resample([0, 1], [1.0, -1.0], count=2, places=3)
    assert result.chance.tolist() == [1.0, 1.0]


def test_a_proposal_without_a_review_cannot_be_resampled():
    with pytest.raises(ValueError, match="at least one review"):
        resample([0, 0], [1.0, 2.0], count=2, places=1)


@pytest.mark.parametrize(("chance", "close"), [(0.19, False), (0.2, True), (0.5, True), (0.8, True), (0.81, False)])
def test_a_close_call_is_a_chance_from_20_to_80_percent(chance, close):
    assert (CLOSE_LOW, CLOSE_HIGH) == (0.2, 0.8)
    assert is_close_call(chance) is close


def test_float_noise_never_decides_a_tie():
    # Equal to the ranking's 6 places (it placed proposal 0 first by its tie rule), apart only by float noise.
    result = resample([0, 1], [0.9999999999999997, 1.000000000000004], count=2, places=1)
    assert result.chance.tolist() == [1.0, 0.0]
