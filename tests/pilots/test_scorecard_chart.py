"""The public scorecard's chart of one measure, and the public rule it draws from: accepted values of public measures
only, in words as well as shapes."""

import re
from datetime import date
from decimal import Decimal

import pytest

from pilots.chart import chart_geometry, describe, format_number, measure_svg
from pilots.selectors.public import PublicMeasure, Reading, public_scorecard
from tests.factories.pilot_scorecards import HIDDEN, HOUSEHOLDS, announced_challenge, leaky_pilot


def measure(*readings, baseline=0, target=200, higher_is_better=True) -> PublicMeasure:
    return PublicMeasure(
        id=7,
        name=HOUSEHOLDS,
        unit="households",
        baseline=Decimal(baseline),
        target=Decimal(target),
        higher_is_better=higher_is_better,
        readings=[
            Reading(f"Milestone {n}", date(2026, n, 1), Decimal(value)) for n, value in enumerate(readings, start=1)
        ],
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [(Decimal("200.00"), "200"), (Decimal("12.50"), "12.5"), (Decimal("1250"), "1,250"), (Decimal("-3"), "-3")],
)
def test_numbers_read_without_trailing_zeros(value, text):
    assert format_number(value) == text


def test_the_chart_says_in_words_where_the_measure_stands():
    assert describe(measure(80, 140)) == f"{HOUSEHOLDS}: baseline 0, target 200, latest 140 at Milestone 2"
    assert describe(measure()) == f"{HOUSEHOLDS}: baseline 0, target 200, no accepted value yet"


def test_the_svg_is_an_image_labelled_by_its_title_and_description():
    svg = str(measure_svg(measure(80, 140), id_prefix="m7"))
    assert re.search(r'<svg [^>]*role="img"[^>]*aria-labelledby="m7-title m7-desc"', svg)
    assert f'<title id="m7-title">{HOUSEHOLDS}: baseline 0, target 200, latest 140 at Milestone 2</title>' in svg
    assert "In households." in svg and "not been reached yet" in svg
    assert 'viewBox="0 0 600 ' in svg and 'width="100%"' in svg
    assert "<script" not in svg and "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_the_target_is_marked_in_text_and_every_bar_has_its_value():
    svg = str(measure_svg(measure(80, 140), id_prefix="m7"))
    assert ">Target 200</text>" in svg
    assert 'stroke-dasharray="6 4" class="target"' in svg
    labels = re.findall(r'text-anchor="end">([^<]+)</text>', svg)
    assert labels[:3] == ["Baseline", "Milestone 1", "Milestone 2"]
    assert re.findall(r">\d+</text>", svg) == [">0</text>", ">80</text>", ">140</text>"]


def test_bars_scale_to_the_largest_value_and_stay_inside_the_chart():
    chart = chart_geometry(measure(80, 400))
    bars = chart["bars"]
    assert [bar.value for bar in bars] == ["0", "80", "400"]
    assert bars[2].x + bars[2].width <= chart["width"] - 60
    assert bars[1].width < bars[2].width
    assert chart["target_x"] < bars[2].x + bars[2].width


def test_a_lower_is_better_measure_that_reached_its_target_says_so():
    reached = measure(60, 35, baseline=80, target=40, higher_is_better=False)
    assert reached.reached is True
    svg = str(measure_svg(reached, id_prefix="m"))
    assert "The target has been reached." in svg


@pytest.mark.django_db
def test_the_public_scorecard_holds_accepted_values_of_public_measures_only(sponsor_index, sponsor, manager):
    _, (proposal,) = announced_challenge(sponsor_index, sponsor, manager, ["Early Help Finder"])
    leaky_pilot(proposal, by=manager)

    card = public_scorecard(proposal, today=date.today())

    assert (card.status, card.status_reason) == ("at_risk", "Referrals slowed over winter.")
    assert (card.milestones_done, card.milestones_total) == (2, 5)
    assert (card.award_amount, card.paid) == (Decimal(10_000), Decimal(5_000))
    assert card.final_summary == ""
    (households,) = card.measures
    assert households.name == HOUSEHOLDS
    assert [(r.milestone, r.value) for r in households.readings] == [("Milestone 1", 80), ("Milestone 2", 140)]
    assert households.latest == 140 and households.reached is False and households.progress == pytest.approx(0.7)
    assert HIDDEN.private_measure not in repr(card)
    assert [(moment.label, moment.done) for moment in card.timeline][-8:] == [
        ("Award announced", True),
        ("Pilot starts", True),
        ("Milestone: Milestone 1", True),
        ("Milestone: Milestone 2", True),
        ("Milestone: Milestone 3", False),
        ("Milestone: Milestone 4", False),
        ("Milestone: Milestone 5", False),
        ("Pilot due to end", False),
    ]
