"""The archive's search and winners pages take anything in their address: every parameter (q, each facet,
sort, page), garbage, huge, unicode, NUL bytes and repeats, never gives a server error, and the search box
always shows the words that were searched (after the documented clean-up: control characters become spaces,
whitespace runs collapse, and the text is cut at ``MAX_QUERY_LENGTH``)."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from archive.forms import clean_text
from archive.models import ArchiveEntry
from archive.search import FACETS, MAX_QUERY_LENGTH, SORTS
from challenges.models import Theme
from tests.fuzz.conftest import FUZZ, around, html, shows, text

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

PARAMS = ("q", "sort", "page", *FACETS)


def facet_value() -> st.SearchStrategy[str]:
    real = ["challenge", "winner", "homelessness", "open-data", "wmca", "2024", "2026", "open", "winner"]
    return st.one_of(st.sampled_from(real), text(30), st.integers(-(10**20), 10**20).map(str))


def page_value() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(-5, 5).map(str),
        st.integers(0, 10**30).map(str),
        st.sampled_from(["", "1.5", "1e3", "٣", "²", "0x10", " 2 ", "\x002", "last"]),
        text(20),
    )


@st.composite
def query(draw) -> list[tuple[str, str]]:
    """A query string's pairs: any parameter, any number of times (known ones more often), in any order."""
    pairs = []
    if draw(st.booleans()):
        pairs.append(("q", draw(st.one_of(text(80), around(MAX_QUERY_LENGTH, "é"), around(MAX_QUERY_LENGTH, "w ")))))
    if draw(st.booleans()):
        pairs.append(("sort", draw(st.one_of(st.sampled_from(SORTS), text(20)))))
    if draw(st.booleans()):
        pairs.append(("page", draw(page_value())))
    for facet in FACETS:
        pairs += [(facet, value) for value in draw(st.lists(facet_value(), max_size=3))]
    extra = st.tuples(st.one_of(st.sampled_from(PARAMS), text(10)), st.one_of(text(30), facet_value()))
    pairs += draw(st.lists(extra, max_size=4))
    if draw(st.integers(0, 20)) == 0:
        name = draw(st.sampled_from(PARAMS))
        pairs += [(name, draw(facet_value()))] * draw(st.sampled_from([50, 400]))
    return draw(st.permutations(pairs))


@pytest.fixture
def entries(demo_site):
    """A few rows to search, so every query really runs against the backend."""
    theme = Theme.objects.get(slug="homelessness")
    for n, (kind, title) in enumerate([("challenge", "Prevent homelessness"), ("winner", "Early warning")]):
        row = ArchiveEntry.objects.create(
            key=f"fuzz:{n}",
            kind=kind,
            challenge=demo_site.challenge,
            title=title,
            summary="Households at risk of losing their home",
            url=f"/fuzz/{n}/",
            sponsor_slug="wmca",
            sponsor_name="West Midlands Combined Authority",
            theme_slugs=[theme.slug],
            theme_names=[theme.name],
            year=2024,
            date="2024-03-02T09:30:00Z",
            status="winner" if kind == "winner" else "archived",
            status_label="Winner" if kind == "winner" else "Archived",
            challenge_title=title,
            source_modified="2024-03-02T09:30:00Z",
        )
        row.themes.set([theme])


def searched_words(pairs: list[tuple[str, str]]) -> str:
    """What the search box must show: the last ``q`` (as QueryDict.get reads it), cleaned and cut."""
    values = [value for name, value in pairs if name == "q"]
    words = clean_text(values[-1]) if values else ""
    return words[:MAX_QUERY_LENGTH].rstrip() if len(words) > MAX_QUERY_LENGTH else words


@FUZZ
@given(pairs=query())
def test_archive_search_never_fails_and_keeps_the_words(client, entries, pairs):
    response = client.get(f"{reverse('archive:search')}?{urlencode(pairs)}")

    assert response.status_code == 200
    words = searched_words(pairs)
    assert f'name="q" type="search" value="{words and html_escape(words)}"' in html(response)


@FUZZ
@given(pairs=query())
def test_winners_gallery_never_fails(client, entries, pairs):
    response = client.get(f"{reverse('archive:winners')}?{urlencode(pairs)}")

    assert response.status_code == 200
    assert "Early warning" in html(response) or "no winners" in html(response).lower() or shows(response, "0")


@FUZZ
@given(q=st.one_of(text(80), around(MAX_QUERY_LENGTH)))
def test_suggestions_never_fail(client, entries, q):
    response = client.get(reverse("archive:suggest"), {"q": q})

    assert response.status_code == 200
    assert isinstance(response.json(), list)


def html_escape(value: str) -> str:
    from django.utils.html import escape

    return escape(value)
