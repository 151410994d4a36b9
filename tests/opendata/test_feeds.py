"""The Atom feeds: valid XML a feed reader can follow, with absolute links, dates and the sponsor as author."""

import xml.etree.ElementTree as ET

import pytest

from .conftest import SECRETS

pytestmark = pytest.mark.django_db

ATOM = {"atom": "http://www.w3.org/2005/Atom"}


def feed(client, url) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    content = response.content.decode()
    for secret in SECRETS:
        assert secret not in content, secret
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    assert root.findtext("atom:updated", namespaces=ATOM)
    assert root.find("atom:link[@rel='self']", ATOM).get("href") == f"http://testserver{url}"
    return root


def entries(root: ET.Element) -> list[dict]:
    return [
        {
            "title": entry.findtext("atom:title", namespaces=ATOM),
            "link": entry.find("atom:link", ATOM).get("href"),
            "id": entry.findtext("atom:id", namespaces=ATOM),
            "updated": entry.findtext("atom:updated", namespaces=ATOM),
            "author": entry.findtext("atom:author/atom:name", namespaces=ATOM),
            "categories": [category.get("term") for category in entry.findall("atom:category", ATOM)],
            "summary": entry.findtext("atom:summary", namespaces=ATOM),
        }
        for entry in root.findall("atom:entry", ATOM)
    ]


def test_the_challenges_feed_lists_public_challenges_newest_published_first(client, published):
    for challenge in (published.old, published.announced, published.open):
        challenge.save_revision().publish()
    items = entries(feed(client, "/feeds/challenges.atom"))
    assert [item["title"] for item in items] == [
        "Healthy ageing at home",
        "Prevent homelessness with data",
        "Better housing repairs",
    ]
    first = items[0]
    assert first["link"] == f"http://testserver{published.open.url}"
    assert first["id"] == first["link"]
    assert first["author"] == "Greater Manchester Combined Authority"
    assert first["categories"] == ["Wellbeing"]
    assert first["updated"] and first["summary"] == published.open.summary


def test_the_winners_feed_lists_announced_awards_newest_announcement_first(client, published):
    items = entries(feed(client, "/feeds/winners.atom"))
    assert [item["title"] for item in items] == [
        "Winner: Early Help Finder, by Brumtech Analytics Ltd",
        "Highly commended: Home Truths, by Kindred Futures CIC",
        "Highly commended: Quiet Ltd",  # no consent: the award and its recipient, not the proposal's own words
        "Winner: Repairs Radar, by Fixit Co-operative",
    ]
    assert items[0]["link"] == f"http://testserver/archive/winners/{published.winner.pk}/"
    assert items[0]["author"] == "West Midlands Combined Authority"
    assert items[0]["categories"] == ["Homelessness", "Open data"]
    assert "Why Early Help Finder won." in items[0]["summary"]
    assert items[2]["summary"] == "Highly commended of “Prevent homelessness with data”. Why: Why Quiet Ltd won."
    assert items[3]["updated"] == "2021-04-12T09:00:00+00:00"  # 10:00 in London (BST)
    assert all(item["link"].startswith("http://testserver/") for item in items)


def test_empty_feeds_are_still_valid(client, db):
    for url in ("/feeds/challenges.atom", "/feeds/winners.atom"):
        assert entries(feed(client, url)) == []
