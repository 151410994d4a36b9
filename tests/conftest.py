from dataclasses import dataclass

import pytest
from django.db import connections
from pytest_django.plugin import blocking_manager_key

from challenges.models import ChallengeIndexPage, ChallengePage, Theme
from home.models import HomePage
from tests.factories import ChallengeIndexPageFactory, ChallengePageFactory, SponsorFactory
from tests.factories.challenges import make_manager


@dataclass
class DemoSite:
    home: HomePage
    listing: ChallengeIndexPage
    sponsor_index: ChallengeIndexPage
    challenge: ChallengePage


@pytest.fixture
def home_page(db) -> HomePage:
    return HomePage.objects.get()


@pytest.fixture
def listing(home_page) -> ChallengeIndexPage:
    return ChallengeIndexPageFactory(parent=home_page, title="Challenges", slug="challenges")


@pytest.fixture
def sponsor(db):
    return SponsorFactory(name="West Midlands Combined Authority", slug="wmca")


@pytest.fixture
def sponsor_index(listing, sponsor) -> ChallengeIndexPage:
    return ChallengeIndexPageFactory(parent=listing, title=sponsor.name, slug=sponsor.slug, sponsor=sponsor)


@pytest.fixture
def demo_site(home_page, listing, sponsor_index, sponsor) -> DemoSite:
    """A small live site: home, the shared listing, one sponsor's section and one open challenge."""
    challenge = ChallengePageFactory(
        parent=sponsor_index,
        title="Prevent homelessness with data",
        slug="prevent-homelessness",
        sponsor=sponsor,
        themes=list(Theme.objects.filter(slug__in=["homelessness", "open-data"])),
        faqs=[
            ("Can a consortium apply?", "<p>Yes, with one lead organisation.</p>"),
            ("Who owns the intellectual property?", "<p>The supplier keeps it.</p>"),
        ],
    )
    return DemoSite(home=home_page, listing=listing, sponsor_index=sponsor_index, challenge=challenge)


@pytest.fixture
def manager(sponsor_index, sponsor):
    """A challenge manager of ``sponsor``: publish rights on its section only, two-factor set up."""
    return make_manager(sponsor, email="manager@wmca.example")


@pytest.fixture
def manager_client(client, manager):
    """The test client, signed in as ``manager``."""
    client.force_login(manager)
    return client


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """A transactional test empties the database when it ends, migrations' rows too (the home page, the themes).
    Run serially, pytest-django puts those tests last; ``make test`` shares them out across every core, so one may
    be followed by an ordinary test: give that test the migrated database back, as serialized rollback would."""
    result = yield
    if _transactional(item) and nextitem is not None and not _transactional(nextitem):
        with item.config.stash[blocking_manager_key].unblock():
            for connection in connections.all():
                contents = getattr(connection, "_test_serialized_contents", None)
                if contents:
                    connection.creation.deserialize_db_from_string(contents)
    return result


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth keeps rate limits and used two-factor codes in the cache, and each process keeps what every visitor
    sees (core.kept); no test may inherit another's."""
    from django.core.cache import cache

    from core.kept import forget

    cache.clear()
    forget()
    yield
    cache.clear()
    forget()
