"""Judges' calibration beyond the mean: spread, the ends of the scale, and correlation with the rest of the panel."""

import pytest

from judging.calibration import MIN_CORRELATION, calibrate

PROPOSALS = [1, 2, 3, 4, 5]


def panel(*judges: tuple[int, list[float]]):
    """Every judge reviews every proposal: (judge id, totals in proposal order)."""
    proposals, ids, totals = [], [], []
    for judge_id, marks in judges:
        proposals += PROPOSALS
        ids += [judge_id] * len(PROPOSALS)
        totals += marks
    return proposals, ids, totals


def test_a_harsh_and_a_lenient_judge_who_agree_on_order_follow_the_panel():
    proposals, ids, totals = panel((1, [20, 30, 40, 50, 60]), (2, [60, 70, 80, 90, 100]), (3, [40, 50, 60, 70, 80]))
    judges = calibrate(proposals, ids, totals, ids, [False] * len(ids))
    assert [judge.correlation for judge in judges] == pytest.approx([1.0, 1.0, 1.0])
    assert [judge.reasons for judge in judges] == [(), (), ()]
    assert [judge.spread for judge in judges] == pytest.approx([14.142136] * 3)


def test_a_judge_who_reverses_the_panel_stands_out_for_the_chair():
    proposals, ids, totals = panel((1, [20, 30, 40, 50, 60]), (2, [30, 40, 50, 60, 70]), (3, [70, 60, 50, 40, 30]))
    contrarian = calibrate(proposals, ids, totals, ids, [False] * len(ids))[2]
    assert contrarian.judge_id == 3
    assert contrarian.correlation == pytest.approx(-1.0)
    assert contrarian.correlation < MIN_CORRELATION
    assert contrarian.reasons == ("follows the rest of the panel poorly (correlation -1.00)",)
    assert contrarian.pairs == 5


def test_a_judge_at_the_ends_of_the_scale_and_one_who_never_moves():
    proposals, ids, totals = panel((1, [0, 100, 0, 100, 100]), (2, [10, 90, 20, 80, 70]), (3, [50, 51, 50, 51, 50]))
    # Two criteria per review; judge 1 scores only 0s and 5s, judge 2 one 5 in ten scores.
    score_judges = [1] * 10 + [2] * 10 + [3] * 10
    at_ends = [True] * 10 + [True] + [False] * 9 + [False] * 10
    judges = {judge.judge_id: judge for judge in calibrate(proposals, ids, totals, score_judges, at_ends)}
    assert judges[1].ends == 1.0 and judges[2].ends == pytest.approx(0.1) and judges[3].ends == 0.0
    assert "scores at the ends of the scale 100 % of the time" in judges[1].reasons
    assert judges[2].reasons == ()
    assert judges[3].reasons[-1].startswith("spreads totals much less than the panel")


def test_too_few_shared_proposals_give_no_correlation():
    judges = calibrate([1, 1, 2], [1, 2, 1], [40, 60, 50], [], [])
    assert [judge.correlation for judge in judges] == [None, None]
    assert [judge.ends for judge in judges] == [None, None]
