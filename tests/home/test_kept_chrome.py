"""The header and footer every page shows are rendered once per generation for anonymous visitors (core.kept),
yet each page still marks its own section as current, and a signed-in user always gets their own header."""

import pytest

from home.models import StandardPage
from tests.factories.accounts import UserFactory


def current_item(body: str) -> str:
    marker = 'aria-current="page"><strong class="govuk-service-navigation__active-fallback">'
    return body.split(marker, 1)[1].split("<", 1)[0]


@pytest.mark.django_db
def test_each_page_marks_its_own_section_in_the_kept_header(client, demo_site):
    for _ in range(2):
        assert current_item(client.get("/").content.decode()) == "Home"
        assert current_item(client.get(demo_site.challenge.url).content.decode()) == "Challenges"
        assert current_item(client.get("/archive/").content.decode()) == "Archive"


@pytest.mark.django_db
def test_a_signed_in_user_gets_their_own_header_after_anonymous_visits(client, demo_site):
    client.get(demo_site.challenge.url)
    assert "Sign in" in client.get(demo_site.challenge.url).content.decode()
    client.force_login(UserFactory())

    body = client.get(demo_site.challenge.url).content.decode()
    assert "Your proposals" in body
    assert ">Sign in<" not in body


@pytest.mark.django_db
def test_a_page_published_to_the_footer_shows_in_the_kept_footer(client, demo_site, home_page):
    client.get("/")
    client.get("/")
    privacy = StandardPage(title="Privacy notice", slug="privacy", body=[])
    home_page.add_child(instance=privacy)
    privacy.save_revision().publish()

    assert 'href="/privacy/">Privacy notice</a>' in client.get("/").content.decode()
