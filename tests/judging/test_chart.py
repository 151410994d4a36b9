"""The calibration chart: figures a manager can check by hand, and an SVG that names itself to screen readers,
draws one group per judge and stays inside its own frame."""

import pytest
from bs4 import BeautifulSoup

from accounts.models import User
from judging.chart import LABEL_WIDTH, WIDTH, _x, calibration_summaries, calibration_svg, summarise
from tests.factories.judging import assign, score
from tests.factories.submissions import make_proposal


def test_summarise_gives_quartiles_mean_and_population_sd():
    judge = summarise(7, "Hilda Harsh", [60.0, 20.0, 40.0, 100.0])
    assert judge.totals == (20.0, 40.0, 60.0, 100.0)
    assert judge.count == 4
    assert (judge.minimum, judge.maximum, judge.mean, judge.median) == (20.0, 100.0, 55.0, 50.0)
    assert (judge.q1, judge.q3) == (35.0, 70.0)
    assert judge.sd == pytest.approx(29.5804, abs=1e-4)


def test_one_review_is_a_point_with_no_spread():
    judge = summarise(1, "Solo", [72.5])
    assert (judge.q1, judge.median, judge.q3, judge.mean, judge.sd) == (72.5, 72.5, 72.5, 72.5, 0.0)


def parse(svg: str):
    return BeautifulSoup(svg, "html.parser").find("svg")


def test_the_svg_is_an_image_labelled_by_its_title_and_description():
    svg = parse(calibration_svg([summarise(1, "A", [10.0, 30.0]), summarise(2, "B", [90.0])]))
    assert svg["role"] == "img"
    title_id, desc_id = svg["aria-labelledby"].split()
    assert (
        svg.find("title", id=title_id, recursive=False).get_text()
        == "Calibration: each judge's review totals out of 100"
    )
    description = svg.find("desc", id=desc_id).get_text()
    assert description.startswith("2 judges, harshest (lowest mean) first.")
    assert "table after the chart" in description


def test_one_group_per_judge_with_a_dot_per_review_inside_the_frame():
    judges = [summarise(1, "Hilda Harsh", [20.0, 40.0, 60.0]), summarise(2, "Larry Lenient", [66.7, 80.0, 100.0])]
    svg = parse(calibration_svg(judges))
    groups = svg.find_all("g", class_="judge")
    assert [group["data-judge"] for group in groups] == ["1", "2"]
    width, height = (float(n) for n in svg["viewbox"].split()[2:])
    assert width == WIDTH
    for group, judge in zip(groups, judges, strict=True):
        assert group.find("title").get_text().startswith(f"{judge.label}: 3 reviews, mean {judge.mean:.1f}")
        assert group.find("text").get_text() == judge.label
        dots = group.find_all("circle", class_="review")
        assert sorted(float(dot["cx"]) for dot in dots) == [_x(total) for total in judge.totals]
        assert all(LABEL_WIDTH <= float(dot["cx"]) <= width and 0 < float(dot["cy"]) < height for dot in dots)
        box = group.find("rect", class_="box")
        assert float(box["x"]) == _x(judge.q1)
        assert float(box["x"]) + float(box["width"]) == pytest.approx(_x(judge.q3), abs=0.2)
        assert float(group.find("line", class_="median")["x1"]) == _x(judge.median)
        assert group.find("polygon", class_="mean")
    harsh_mean = float(groups[0].find("polygon")["points"].split(",")[0])
    lenient_mean = float(groups[1].find("polygon")["points"].split(",")[0])
    assert harsh_mean < lenient_mean


def test_names_are_escaped_and_long_ones_shortened():
    svg = calibration_svg([summarise(1, "<script>alert(1)</script> Bartholomew Montgomery-Smythe", [50.0])])
    assert "<script>" not in svg
    label = parse(svg).find("g", class_="judge").find("text").get_text()
    assert len(label) == 30 and label.endswith("…")


def test_summaries_come_from_submitted_reviews_harshest_first(scene):
    harsh, lenient = scene.judges
    User.objects.filter(pk=harsh.pk).update(first_name="Hilda", last_name="Harsh")
    User.objects.filter(pk=lenient.pk).update(first_name="", last_name="")
    score(scene.review, 1, 1)
    score(scene.other_proposal.assignments.get(judge=lenient).review, 5, 5)
    score(assign(make_proposal(scene.challenge), lenient), 4, 4)
    score(assign(make_proposal(scene.challenge), harsh), 3, 3, submit=False)
    judges = calibration_summaries(challenge=scene.challenge)
    assert [(judge.label, judge.totals) for judge in judges] == [
        ("Hilda Harsh", (20.0,)),
        (lenient.email, (80.0, 100.0)),
    ]
