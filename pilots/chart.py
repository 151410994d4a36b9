"""The scorecard's chart of one outcome measure: where it started, each accepted reading, and the target.

Drawn on the server as inline SVG, like the judges' calibration chart (``judging.chart``): no script and no
charting library, so it prints, works without JavaScript and adds nothing to the page's weight. One horizontal
bar for the baseline and one for each accepted reading, oldest first, each labelled with its value in text; a
dashed vertical line marks the target and says "Target" beside it, so nothing depends on colour. The SVG scales
to its container (``viewBox``, width 100%), and ``role="img"`` with its own <title> and <desc> says the same in
words. The scorecard puts the same figures in a table beside it.

The chart reads only a ``PublicMeasure``: it can show nothing the public rule (``pilots.selectors.public``) left out.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from .selectors.public import PublicMeasure

WIDTH = 600
LABEL_WIDTH = 170
VALUE_SPACE = 70
"""Room right of the longest bar for its value."""
TOP = 28
ROW_HEIGHT = 30
BAR_HEIGHT = 18
BOTTOM = 12
LABEL_CHARS = 24
BASELINE_COLOUR = "#505a5f"
"""GOV.UK dark grey: 7:1 against white."""
READING_COLOUR = "#1d70b8"
"""GOV.UK blue: 5:1 against white, above the 3:1 that graphics need."""


def format_number(value: Decimal | None) -> str:
    """200, 12.5 or 1,250: no trailing zeros, thousands separated."""
    if value is None:
        return ""
    value = Decimal(value)
    plain = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return f"{plain:,}"


def describe(measure: PublicMeasure) -> str:
    """The chart in one sentence: "Households identified before crisis: baseline 0, target 200, latest 140 at
    Milestone 2"."""
    text = f"{measure.name}: baseline {format_number(measure.baseline)}, target {format_number(measure.target)}"
    if not measure.readings:
        return f"{text}, no accepted value yet"
    latest = measure.readings[-1]
    return f"{text}, latest {format_number(latest.value)} at {latest.milestone}"


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


@dataclass(frozen=True)
class Bar:
    label: str
    value: str
    colour: str
    y: float
    x: float
    width: float

    @property
    def text_y(self) -> float:
        return round(self.y + BAR_HEIGHT / 2 + 4, 1)

    @property
    def value_x(self) -> float:
        return round(self.x + self.width + 6, 1)


def chart_geometry(measure: PublicMeasure) -> dict:
    """Coordinates for the template, rounded to a tenth of a pixel. The scale runs from zero (or the lowest value,
    if below zero) to the highest of the baseline, the target and every reading."""
    values = [measure.baseline, measure.target, *(reading.value for reading in measure.readings)]
    low = min(Decimal(0), *values)
    high = max(values)
    if high == low:
        high = low + 1
    plot = WIDTH - LABEL_WIDTH - VALUE_SPACE

    def x(value) -> float:
        return round(LABEL_WIDTH + plot * float((value - low) / (high - low)), 1)

    zero = x(max(low, Decimal(0)))
    rows = [("Baseline", measure.baseline, BASELINE_COLOUR)]
    rows += [(reading.milestone, reading.value, READING_COLOUR) for reading in measure.readings]
    bars = []
    for index, (label, value, colour) in enumerate(rows):
        left, right = sorted((zero, x(value)))
        bars.append(
            Bar(
                label=_short(label),
                value=format_number(value),
                colour=colour,
                y=TOP + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2,
                x=left,
                width=max(round(right - left, 1), 1.0),
            )
        )
    bottom = TOP + len(rows) * ROW_HEIGHT
    target_x = x(measure.target)
    return {
        "width": WIDTH,
        "height": bottom + BOTTOM,
        "top": TOP,
        "bottom": bottom,
        "label_x": LABEL_WIDTH - 8,
        "bar_height": BAR_HEIGHT,
        "bars": bars,
        "target_x": target_x,
        "target_label": f"Target {format_number(measure.target)}",
        "target_anchor": "end" if target_x > WIDTH / 2 else "start",
        "target_label_x": round(target_x - 4 if target_x > WIDTH / 2 else target_x + 4, 1),
        "zero_x": zero,
    }


def measure_svg(measure: PublicMeasure, *, id_prefix: str) -> SafeString:
    """The chart as inline SVG markup (role="img", labelled by its own <title> and <desc>)."""
    readings = len(measure.readings)
    return render_to_string(
        "pilots/includes/measure_chart.html",
        {
            "chart": chart_geometry(measure),
            "measure": measure,
            "id_prefix": id_prefix,
            "title": describe(measure),
            "readings": readings,
        },
    )
