"""The one line a visitor reads about a challenge's deadline, on cards and pages."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from challenges.lifecycle import deadline_phrase

UK = ZoneInfo("Europe/London")


def test_the_card_line_a_supplier_reads():
    closes = datetime(2027, 3, 12, 17, 0, tzinfo=UK)
    now = datetime(2027, 3, 9, 10, 0, tzinfo=UK)
    phrase = deadline_phrase(status="open", opens_at=now, closes_at=closes, now=now)
    assert phrase == "Closes in 3 days — 5pm, Friday 12 March 2027"


def test_days_are_counted_in_uk_calendar_days_across_the_clock_change():
    # Clocks go forward on 28 March 2027: the deadline is still "in 3 days" although 71 hours away.
    now = datetime(2027, 3, 26, 17, 0, tzinfo=UK)
    closes = datetime(2027, 3, 29, 17, 0, tzinfo=UK)
    assert deadline_phrase(status="open", opens_at=now, closes_at=closes, now=now).startswith("Closes in 3 days")


@pytest.mark.parametrize(
    ("status", "now", "expected"),
    [
        ("open", datetime(2027, 3, 12, 9, 0, tzinfo=UK), "Closes today — 5pm, Friday 12 March 2027"),
        ("open", datetime(2027, 3, 11, 23, 0, tzinfo=UK), "Closes tomorrow — 5pm, Friday 12 March 2027"),
        ("upcoming", datetime(2027, 2, 24, 9, 0, tzinfo=UK), "Opens in 5 days — 9am, Monday 1 March 2027"),
        ("closed", datetime(2027, 3, 20, 9, 0, tzinfo=UK), "Closed 5pm, Friday 12 March 2027"),
        ("judging", datetime(2027, 4, 20, 9, 0, tzinfo=UK), "Closed 5pm, Friday 12 March 2027"),
    ],
)
def test_deadline_phrase_for_each_stage(status, now, expected):
    opens = datetime(2027, 3, 1, 9, 0, tzinfo=UK)
    closes = datetime(2027, 3, 12, 17, 0, tzinfo=UK)
    assert deadline_phrase(status=status, opens_at=opens, closes_at=closes, now=now) == expected
