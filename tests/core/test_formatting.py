"""How dates and times read on the site, in UK time and the GOV.UK style."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from core.formatting import format_moment, format_time

UK = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2027, 3, 12, 17, 0, tzinfo=UK), "5pm"),
        (datetime(2027, 3, 12, 17, 30, tzinfo=UK), "5:30pm"),
        (datetime(2027, 3, 12, 9, 5, tzinfo=UK), "9:05am"),
        (datetime(2027, 3, 12, 12, 0, tzinfo=UK), "midday"),
        (datetime(2027, 3, 12, 0, 0, tzinfo=UK), "midnight"),
    ],
)
def test_times_read_the_gov_uk_way(moment, expected):
    assert format_time(moment) == expected


def test_utc_times_are_shown_in_uk_time():
    moment = datetime(2027, 7, 1, 16, 0, tzinfo=ZoneInfo("UTC"))
    assert format_moment(moment) == "5pm, Thursday 1 July 2027"
