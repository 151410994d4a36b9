"""Shared pieces of the bad-input (Hypothesis) tests: the ``fuzz`` marker, the settings every fuzz test uses,
strategies for hostile text, and the checks that a re-shown form lost nothing and links each error to its field.

Each test logs in once and runs every example inside ``rolled_back()``, a savepoint rolled back afterwards: the
next example starts from the same database without the cost of a new fixture. ``FUZZ_EXAMPLES`` lowers the
number of examples (1,000 by default) and ``FUZZ_NO_SHRINK`` skips shrinking, while working on a test; CI
runs the defaults.
"""

import contextlib
import os
import re

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils.html import escape
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "1000")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target]
    + ([] if os.environ.get("FUZZ_NO_SHRINK") else [Phase.shrink]),
)


@contextlib.contextmanager
def rolled_back():
    """One example's writes, undone when it ends; the cache too (allauth keeps rate limits there)."""
    cache.clear()
    try:
        with transaction.atomic():
            yield
            transaction.set_rollback(True)
    finally:
        cache.clear()


UNICODE = st.characters(blacklist_categories=("Cs",))
NASTY = [
    "",
    " ",
    "   \t  ",
    "\n\n",
    "\r\n",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\x7f\x08\x0c",
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "&amp; &lt; &#0;",
    "{{ 7*7 }} {% now 'Y' %}",
    "' OR 1=1 --",
    "\u202e\u200b\ufeff",
    "\U0001f600 \U0001f3f4\u200d\u2620\ufe0f",
    "Zoë Łódź 東京 مرحبا",
    "\u0301\u0301",
    "null",
    "None",
    "NaN",
    "-0",
    "1e309",
    "9" * 40,
]


def text(max_size: int = 60) -> st.SearchStrategy[str]:
    """Any text HTTP can carry (no lone surrogates), weighted towards the inputs that break things."""
    return st.one_of(
        st.sampled_from(NASTY),
        st.text(UNICODE, max_size=max_size),
        st.text(st.characters(codec="ascii"), max_size=max_size),
        st.lists(st.sampled_from(NASTY + ["word", "Ünïcødé", "x"]), max_size=6).map(" ".join),
    )


def around(limit: int, char: str = "a") -> st.SearchStrategy[str]:
    """Strings at and just beyond a length limit, and one far beyond it."""
    return st.sampled_from([limit - 1, limit, limit + 1, limit * 10]).map(lambda n: char * max(n, 0))


def html(response) -> str:
    return response.content.decode()


def shows(response, value: str) -> bool:
    """Whether the page carries ``value`` exactly as typed, HTML-escaped as the template escapes it."""
    return escape(value) in html(response)


def summary_links(response) -> list[str]:
    """The anchors the GOV.UK error summary links to, in order."""
    match = re.search(r'class="govuk-error-summary".*?</ul>', html(response), re.S)
    return re.findall(r'href="#([^"]*)"', match.group(0)) if match else []


def assert_error_linked(response, field_id: str) -> None:
    """An error summary links to ``field_id``, and that id is on the page for the link to land on."""
    page = html(response)
    assert field_id in summary_links(response), (field_id, summary_links(response))
    assert f'id="{field_id}"' in page, field_id


@pytest.fixture
def fuzz_settings():
    return FUZZ


@pytest.fixture(autouse=True)
def _navigation_once(monkeypatch):
    """The site header and footer links, looked up once per test rather than once per example.

    Profiling showed the navigation lookup was half of each request's time (a page-tree query and a URL per
    footer page); it cannot change within a test, and no form under test depends on it.
    """
    from home import context_processors

    real = context_processors._navigation
    cache_ = {}

    def navigation(request):
        if "value" not in cache_:
            cache_["value"] = real(request)
        return cache_["value"]

    monkeypatch.setattr(context_processors, "_navigation", navigation)
