"""The open data page: what is available, where to get it, how to filter it, and the licence."""

import re
from itertools import pairwise

import pytest

pytestmark = pytest.mark.django_db


def page(client) -> str:
    response = client.get("/data/")
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_the_page_states_the_open_government_licence_with_its_link(client, published):
    body = page(client)
    assert (
        '<a class="govuk-link" rel="license" '
        'href="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/">'
        "Open Government Licence v3.0</a>"
    ) in body
    assert "Contains public sector information licensed under the Open Government Licence v3.0." in body


def test_the_page_links_every_download_endpoint_feed_and_the_schema(client, published):
    body = page(client)
    assert '<h1 class="govuk-heading-xl">Open data</h1>' in body
    for href in (
        "/data/challenges.csv",
        "/data/outcomes.csv",
        "/api/v1/challenges/",
        "/api/v1/outcomes/",
        "/api/v1/openapi.json",
        "/feeds/challenges.atom",
        "/feeds/winners.atom",
    ):
        assert f'href="{href}"' in body, href
    assert (
        '<link rel="alternate" type="application/atom+xml" title="New challenges" href="/feeds/challenges.atom">'
        in body
    )
    assert '<link rel="alternate" type="application/atom+xml" title="Winners" href="/feeds/winners.atom">' in body


def test_the_page_says_how_much_there_is_and_what_each_filter_accepts(client, published):
    body = page(client)
    assert "<strong>Challenges</strong> (3)" in body and "<strong>Outcomes</strong> (4)" in body
    assert '<dt class="govuk-summary-list__key">Homelessness</dt>' in body and "<code>homelessness</code>" in body
    assert "<code>gmca</code>" in body and "<code>wmca</code>" in body
    assert "<code>winners_announced</code>" in body
    assert '<option value="2021">2021</option>' in body
    assert "We never publish scores" in body


def test_the_download_form_gives_a_csv_a_spreadsheet_opens(client, published):
    body = page(client)
    assert '<form method="get" action="/data/challenges.csv" novalidate>' in body
    response = client.get("/data/challenges.csv", {"theme": "housing", "sponsor": "", "year": "2021", "status": ""})
    assert response.status_code == 200
    assert "Better housing repairs" in response.content.decode("utf-8-sig")


def test_the_page_offers_the_pilots_and_the_360giving_files_with_a_publisher_note(client, published):
    body = page(client)
    for href in ("/data/pilots.csv", "/api/v1/pilots/", "/data/360giving.json", "/data/360giving.csv"):
        assert f'href="{href}"' in body, href
    assert '<h2 class="govuk-heading-l" id="pilots">Pilots</h2>' in body
    assert '<h2 class="govuk-heading-l" id="threesixtygiving">360Giving</h2>' in body
    assert "under the publisher prefix <code>360G-urbanchallenge</code>" in body
    assert "ready to be listed in the 360Giving registry" in body
    assert "<code>on_track</code>" in body and "<code>stopped</code>" in body
    assert "Not included: awards recorded without an amount" in body


def test_the_headings_go_down_one_level_at_a_time(client, published):
    levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", page(client))]
    assert levels[0] == 1
    for before, after in pairwise(levels):
        assert after <= before + 1, levels
