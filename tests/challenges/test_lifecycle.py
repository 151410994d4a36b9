from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from challenges.lifecycle import ChallengeStatus, KeyDates, challenge_status
from challenges.models import ChallengePage
from tests.factories import ChallengePageFactory

UK = ZoneInfo("Europe/London")
TICK = timedelta(microseconds=1)

# A challenge whose closing moment, 5pm on 28 March 2027, falls on the day the clocks go forward.
DATES = KeyDates(
    opens_at=datetime(2027, 1, 11, 9, 0, tzinfo=UK),
    closes_at=datetime(2027, 3, 28, 17, 0, tzinfo=UK),
    judging_starts_at=datetime(2027, 4, 12, 9, 0, tzinfo=UK),
    judging_ends_at=datetime(2027, 5, 28, 17, 0, tzinfo=UK),
    announce_at=datetime(2027, 6, 14, 10, 0, tzinfo=UK),
)
ARCHIVE_AT = DATES.announce_at + timedelta(days=365)

BOUNDARIES = [
    (DATES.opens_at - TICK, ChallengeStatus.UPCOMING),
    (DATES.opens_at, ChallengeStatus.OPEN),
    (DATES.closes_at - TICK, ChallengeStatus.OPEN),
    (DATES.closes_at, ChallengeStatus.CLOSED),
    (DATES.judging_starts_at - TICK, ChallengeStatus.CLOSED),
    (DATES.judging_starts_at, ChallengeStatus.JUDGING),
    (DATES.judging_ends_at, ChallengeStatus.JUDGING),
    (DATES.announce_at - TICK, ChallengeStatus.JUDGING),
    (DATES.announce_at, ChallengeStatus.WINNERS_ANNOUNCED),
    (ARCHIVE_AT - TICK, ChallengeStatus.WINNERS_ANNOUNCED),
    (ARCHIVE_AT, ChallengeStatus.ARCHIVED),
]


@pytest.mark.parametrize(("now", "expected"), BOUNDARIES)
def test_status_changes_exactly_at_each_key_date(now, expected):
    assert challenge_status(DATES, now=now) == expected


def test_closing_time_on_the_day_the_clocks_go_forward_is_read_as_british_summer_time():
    # 5pm BST is 16:00 UTC: a supplier submitting at 16:30 UTC is half an hour late.
    assert DATES.closes_at.utcoffset() == timedelta(hours=1)
    utc = ZoneInfo("UTC")
    assert challenge_status(DATES, now=datetime(2027, 3, 28, 15, 59, 59, tzinfo=utc)) == ChallengeStatus.OPEN
    assert challenge_status(DATES, now=datetime(2027, 3, 28, 16, 0, tzinfo=utc)) == ChallengeStatus.CLOSED


def test_closing_time_in_the_repeated_hour_when_the_clocks_go_back():
    # 1:30am on 31 October 2027 happens twice: fold=0 is the first (BST), fold=1 the second (GMT).
    # Stored and compared in UTC, as the database and timezone.now() give them, the two are an hour apart.
    utc = ZoneInfo("UTC")
    first = datetime(2027, 10, 31, 1, 30, tzinfo=UK, fold=0).astimezone(utc)
    second = datetime(2027, 10, 31, 1, 30, tzinfo=UK, fold=1).astimezone(utc)
    dates = KeyDates(opens_at=first - timedelta(days=30), closes_at=second)
    assert second - first == timedelta(hours=1)
    assert challenge_status(dates, now=first) == ChallengeStatus.OPEN
    assert challenge_status(dates, now=second) == ChallengeStatus.CLOSED


def test_unscheduled_later_stages_keep_the_challenge_where_it_is():
    dates = KeyDates(opens_at=DATES.opens_at, closes_at=DATES.closes_at)
    assert challenge_status(dates, now=DATES.closes_at + timedelta(days=400)) == ChallengeStatus.CLOSED
    no_announcement = KeyDates(
        opens_at=DATES.opens_at, closes_at=DATES.closes_at, judging_starts_at=DATES.judging_starts_at
    )
    assert challenge_status(no_announcement, now=ARCHIVE_AT) == ChallengeStatus.JUDGING


def test_a_managers_override_wins_over_the_dates():
    assert challenge_status(DATES, now=DATES.opens_at, override="archived") == ChallengeStatus.ARCHIVED


def test_archive_delay_comes_from_settings(settings):
    settings.CHALLENGE_ARCHIVE_AFTER_DAYS = 30
    moment = DATES.announce_at + timedelta(days=30)
    assert challenge_status(DATES, now=moment - TICK) == ChallengeStatus.WINNERS_ANNOUNCED
    assert challenge_status(DATES, now=moment) == ChallengeStatus.ARCHIVED


@pytest.mark.django_db
def test_database_filter_agrees_with_the_status_function_at_every_boundary(sponsor_index):
    scheduled = ChallengePageFactory(parent=sponsor_index, **vars(DATES))
    unscheduled = ChallengePageFactory(parent=sponsor_index, opens_at=DATES.opens_at, closes_at=DATES.closes_at)
    overridden = ChallengePageFactory(parent=sponsor_index, **vars(DATES), status_override="archived")
    pages = [scheduled, unscheduled, overridden]
    for now, _ in BOUNDARIES:
        annotated = dict(ChallengePage.objects.annotate_status(now).values_list("pk", "lifecycle_status"))
        for page in pages:
            expected = challenge_status(page.key_dates, now=now, override=page.status_override)
            assert annotated[page.pk] == expected, (page.title, now)
            matching = set(ChallengePage.objects.with_status(expected, now=now).values_list("pk", flat=True))
            assert page.pk in matching
            others = [s for s in ChallengeStatus.values if s != expected]
            assert page.pk not in set(ChallengePage.objects.with_status(*others, now=now).values_list("pk", flat=True))
