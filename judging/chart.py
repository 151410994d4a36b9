"""The calibration chart on the results page: how each judge spreads their review totals over 0 to 100.

A manager moderating scores needs to see at a glance that one judge marks everything low and another
everything high, which is what the normalised score in aggregation.py corrects for. The chart is an inline
SVG drawn on the server (no script, no charting library, so it prints, works without JavaScript and adds
nothing to the page's weight): one row per judge with a whisker from lowest to highest total, a box over
the middle half (first to third quartile), a line at the median, a diamond at the mean and a dot for every
review (up to ``MAX_DOTS`` per judge). Shapes, not colours, carry the meaning, and the page puts the same
figures in a table beside it.

Quartiles are the "inclusive" method (``statistics.quantiles``, the spreadsheet QUARTILE.INC), and the
standard deviation is the population one, the same ``sd`` the normalised score divides by.
"""

import math
import statistics
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from judging.models import JudgeStanding
from judging.selectors.ranking import judge_distributions
from judging.selectors.stages import judging_stage

WIDTH = 720
LABEL_WIDTH = 210
RIGHT_PAD = 24
TOP = 16
ROW_HEIGHT = 52
BOX_HALF = 8
DOTS_BELOW = 15
DOT_STEP = 4
MAX_DOTS = 100
"""A judge with more reviews than this gets no dots: past it they merge into a bar (the plot is under 500 pixels
wide) and a challenge with 10,000 proposals would draw 50,000 of them. The box and whiskers still summarise
every review, and the table gives the count."""
TICKS = (0, 25, 50, 75, 100)
LABEL_CHARS = 30


@dataclass(frozen=True)
class JudgeSummary:
    """One judge's submitted review totals on a challenge and the figures a chart and its table show."""

    judge_id: int
    label: str
    totals: tuple[float, ...]
    mean: float
    median: float
    q1: float
    q3: float
    minimum: float
    maximum: float
    sd: float
    size: int | None = None
    """How many totals there are, when ``totals`` holds only the dots (none past ``MAX_DOTS``)."""

    @property
    def count(self) -> int:
        return len(self.totals) if self.size is None else self.size


def summarise(judge_id: int, label: str, totals: list[float]) -> JudgeSummary:
    values = sorted(totals)
    mean = statistics.fmean(values)
    if len(values) > 1:
        q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
    else:
        q1 = q3 = values[0]
    return JudgeSummary(
        judge_id=judge_id,
        label=label,
        totals=tuple(values),
        mean=mean,
        median=statistics.median(values),
        q1=q1,
        q3=q3,
        minimum=values[0],
        maximum=values[-1],
        sd=math.sqrt(math.fsum((value - mean) ** 2 for value in values) / len(values)),
    )


def _name(user) -> str:
    return user.get_full_name() or user.email


def _sorted(summaries: list[JudgeSummary]) -> list[JudgeSummary]:
    return sorted(summaries, key=lambda summary: (summary.mean, summary.label.lower(), summary.judge_id))


def computed_summaries(*, challenge, stage=None) -> list[JudgeSummary]:
    """``calibration_summaries`` worked out from every review total (what the kept figures are checked against)."""
    distributions = judge_distributions(challenge=challenge, stage=stage)
    users = get_user_model().objects.filter(pk__in=distributions).only("first_name", "last_name", "email")
    names = {user.pk: _name(user) for user in users}
    return _sorted(
        [
            summarise(judge_id, names.get(judge_id, f"Judge {judge_id}"), totals)
            for judge_id, totals in distributions.items()
            if totals
        ]
    )


def calibration_summaries(*, challenge, stage=None) -> list[JudgeSummary]:
    """Every judge with a submitted review total in the stage, harshest (lowest mean) first: one query, of the
    figures ``services.standing`` keeps per judge."""
    rows = JudgeStanding.objects.filter(stage=stage or judging_stage(challenge)).select_related("judge")
    return _sorted(
        [
            JudgeSummary(
                judge_id=row.judge_id,
                label=_name(row.judge),
                totals=tuple(row.dots),
                mean=row.mean,
                median=row.median,
                q1=row.q1,
                q3=row.q3,
                minimum=row.minimum,
                maximum=row.maximum,
                sd=row.sd,
                size=row.count,
            )
            for row in rows
        ]
    )


def _x(value: float) -> float:
    return round(LABEL_WIDTH + (WIDTH - LABEL_WIDTH - RIGHT_PAD) * max(0.0, min(100.0, value)) / 100, 1)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _dots(totals: tuple[float, ...], y: float) -> list[dict]:
    """A dot per review; dots that would overlap stack downwards (up to three deep) so each stays countable.
    None past ``MAX_DOTS``. Totals come sorted, so only the dots just placed can overlap the next one."""
    if len(totals) > MAX_DOTS or not totals:
        return []
    dots, placed = [], []
    for total in totals:
        x = _x(total)
        near = 0
        for other in reversed(placed):
            if x - other >= 2 * DOT_STEP:
                break
            near += abs(other - x) < 2 * DOT_STEP - 1
        depth = near % 3
        placed.append(x)
        dots.append({"x": x, "y": y + depth * DOT_STEP, "value": total})
    return dots


def _dots_markup(dots: list[dict]) -> SafeString:
    """The dots as SVG circles, joined here rather than looped over in the template: a thousand of them through
    the template engine took longer than the rest of the results page. Only numbers go in, so nothing to escape."""
    return mark_safe(
        "".join(
            f'<circle cx="{float(dot["x"])}" cy="{float(dot["y"])}" r="2.5" fill="none" stroke="currentColor" '
            f'stroke-width="1.5" class="review"/>'
            for dot in dots
        )
    )


def _row(index: int, summary: JudgeSummary) -> dict:
    y = TOP + index * ROW_HEIGHT + ROW_HEIGHT / 2 - 6
    box_left, box_right = _x(summary.q1), _x(summary.q3)
    mean_x = _x(summary.mean)
    dots = _dots(summary.totals, y + DOTS_BELOW) if summary.count <= MAX_DOTS else []
    return {
        "summary": summary,
        "label": _short(summary.label),
        "y": y,
        "label_y": y + 4,
        "box_top": y - BOX_HALF,
        "box_bottom": y + BOX_HALF,
        "box_height": 2 * BOX_HALF,
        "box_left": box_left,
        "box_width": max(round(box_right - box_left, 1), 1.0),
        "min_x": _x(summary.minimum),
        "max_x": _x(summary.maximum),
        "median_x": _x(summary.median),
        "mean_points": f"{mean_x},{y - 6} {mean_x + 6},{y} {mean_x},{y + 6} {mean_x - 6},{y}",
        "dots": dots,
        "dots_markup": _dots_markup(dots),
    }


def chart_geometry(summaries: list[JudgeSummary]) -> dict:
    """Coordinates for the template, rounded to a tenth of a pixel so the markup stays short."""
    axis_y = TOP + len(summaries) * ROW_HEIGHT
    return {
        "width": WIDTH,
        "height": axis_y + 44,
        "plot_left": _x(0),
        "plot_right": _x(100),
        "top": TOP,
        "axis_y": axis_y,
        "tick_label_y": axis_y + 16,
        "axis_title_y": axis_y + 36,
        "axis_title_x": round((_x(0) + _x(100)) / 2, 1),
        "label_x": LABEL_WIDTH - 10,
        "ticks": [{"value": tick, "x": _x(tick)} for tick in TICKS],
        "rows": [_row(index, summary) for index, summary in enumerate(summaries)],
    }


def calibration_svg(summaries: list[JudgeSummary], *, id_prefix: str = "calibration") -> SafeString:
    """The chart as inline SVG markup (role="img", labelled by its own <title> and <desc>)."""
    return render_to_string(
        "judging/admin/_results_chart.html",
        {
            "chart": chart_geometry(summaries),
            "id_prefix": id_prefix,
            "judge_count": len(summaries),
            "max_dots": MAX_DOTS,
            "dots_left_out": any(summary.count > MAX_DOTS for summary in summaries),
        },
    )
