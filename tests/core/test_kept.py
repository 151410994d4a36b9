"""core.kept: a result is worked out once and kept until its generation moves on (here or in another process),
until the moment it says it stops holding, or not at all when the shared cache is unreachable."""

from datetime import timedelta
from itertools import count

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from core import kept as kept_module
from core.kept import forget, kept, kept_many, new_generation


@pytest.fixture(autouse=True)
def _kept_on(settings):
    settings.KEPT_RESULTS = True


def counter():
    calls = count(1)
    return lambda: next(calls)


@pytest.mark.django_db
def test_a_result_is_worked_out_once_until_a_new_generation():
    compute = counter()
    assert kept("answer", compute) == 1
    assert kept("answer", compute) == 1
    new_generation()
    assert kept("answer", compute) == 2


def test_a_generation_started_by_another_process_is_seen_at_once():
    compute = counter()
    kept("answer", compute)
    cache.set(kept_module.GENERATION_KEY, cache.get(kept_module.GENERATION_KEY) - 5, timeout=None)  # any change
    assert kept("answer", compute) == 2


def test_a_result_stops_holding_at_its_moment_and_when_the_clock_goes_back(monkeypatch):
    now = timezone.now()
    clock = iter([now, now + timedelta(minutes=1), now + timedelta(hours=2), now - timedelta(hours=1)])
    monkeypatch.setattr(timezone, "now", lambda: next(clock))
    compute = counter()
    until = lambda value: now + timedelta(hours=1)  # noqa: E731
    assert kept("status", compute, until=until) == 1
    assert kept("status", compute, until=until) == 1  # a minute later
    assert kept("status", compute, until=until) == 2  # past its moment
    assert kept("status", compute, until=until) == 3  # before it was worked out


def test_many_results_are_read_at_once_and_only_the_missing_ones_worked_out():
    asked = []

    def compute(keys):
        asked.append(list(keys))
        return {key: key * 10 for key in keys if key != 3}

    assert kept_many([1, 2, 3], compute) == {1: 10, 2: 20}
    assert kept_many([2, 3, 4], compute) == {2: 20, 4: 40}
    assert asked == [[1, 2, 3], [3, 4]]


@override_settings(
    CACHES={"default": {"BACKEND": "config.cache.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:9"}}
)
def test_nothing_is_kept_while_the_shared_cache_is_unreachable():
    compute = counter()
    assert [kept("answer", compute) for _ in range(3)] == [1, 2, 3]


def test_nothing_is_kept_when_kept_results_are_off(settings):
    settings.KEPT_RESULTS = False
    compute = counter()
    assert [kept("answer", compute) for _ in range(3)] == [1, 2, 3]


def test_a_process_keeps_a_bounded_number_of_results(monkeypatch):
    monkeypatch.setattr(kept_module, "MAX_ENTRIES", 3)
    forget()
    for key in range(5):
        kept(key, lambda key=key: key)
    compute = counter()
    assert kept(0, compute) == 1  # the oldest went first
    assert kept(4, compute) == 4
