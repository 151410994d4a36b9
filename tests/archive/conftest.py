"""Archive test fixtures: one search backend per engine, and archive entries made to measure.

``backend`` is parametrised over the database and Elasticsearch (tests/archive/conftest_elastic.py: the
osmem-server emulator, or the cluster in ``ELASTICSEARCH_URL``), so a test that takes it runs on both and
proves they behave alike. ``make_entries`` writes ``ArchiveEntry`` rows directly, with exactly the fields a
test needs, and ``archive`` is a small standard archive already indexed on the backend.
"""

import importlib.util
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from archive.backends.database import DatabaseBackend
from archive.models import ArchiveEntry
from archive.search import DATABASE_BACKEND
from challenges.models import Theme
from tests.factories import SponsorFactory

ELASTIC_FIXTURES = "tests.archive.conftest_elastic"


def _elastic_fixtures() -> dict:
    """The Elasticsearch fixtures (``elasticsearch_*``), when their module exists. They are imported into this
    conftest rather than named in ``pytest_plugins``, which pytest refuses in a conftest below the top level
    whenever the whole suite is collected."""
    if importlib.util.find_spec(ELASTIC_FIXTURES) is None:
        return {}
    pytest.register_assert_rewrite(ELASTIC_FIXTURES)
    module = importlib.import_module(ELASTIC_FIXTURES)
    return {name: value for name, value in vars(module).items() if name.startswith("elasticsearch_")}


globals().update(_elastic_fixtures())

BACKENDS = ["database", "elasticsearch"]
WMCA = ("wmca", "West Midlands Combined Authority")
GMCA = ("gmca", "Greater Manchester Combined Authority")
BASE_DATE = datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=UTC)
STATUS_LABELS = {
    "open": "Open",
    "closed": "Closed",
    "archived": "Archived",
    "winners_announced": "Winners announced",
    "winner": "Winner",
    "highly_commended": "Highly commended",
}
PILOT_LABELS = {"on_track": "On track", "at_risk": "At risk", "complete": "Complete", "stopped": "Stopped"}


@pytest.fixture(params=BACKENDS)
def backend(request, settings):
    """The backend under test, set as the archive's configured backend too."""
    if request.param == "elasticsearch":
        try:
            return request.getfixturevalue("elasticsearch_backend")
        except pytest.FixtureLookupError:
            pytest.skip("No elasticsearch_backend fixture: tests/archive/conftest_elastic.py is missing")
    settings.ARCHIVE_SEARCH_BACKEND = DATABASE_BACKEND
    return DatabaseBackend()


@dataclass(frozen=True)
class Spec:
    """One entry to write. Unset fields get plain defaults; ``days`` moves its date from ``BASE_DATE``."""

    title: str
    kind: str = "challenge"
    summary: str = ""
    body: str = ""
    sponsor: tuple[str, str] = WMCA
    themes: tuple[str, ...] = ("homelessness",)
    year: int = 2026
    status: str = "open"
    organisation_name: str = ""
    challenge_title: str = ""
    days: int = 0
    key: str = ""
    pilot_status: str = ""


@pytest.fixture
def make_entries(demo_site):
    """``make_entries(*specs) -> [ArchiveEntry]``: rows on the demo challenge, with themes set both ways
    (``theme_slugs``/``theme_names`` and the M2M); keys ``test:<n>`` unless a spec names one."""
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    sponsors = {WMCA[0]: demo_site.challenge.sponsor}
    made = []

    def make(*specs: Spec) -> list[ArchiveEntry]:
        rows = []
        for spec in specs:
            if spec.sponsor[0] not in sponsors:
                sponsors[spec.sponsor[0]] = SponsorFactory(slug=spec.sponsor[0], name=spec.sponsor[1])
            chosen = [themes[slug] for slug in spec.themes]
            date = BASE_DATE + timedelta(days=spec.days)
            row = ArchiveEntry.objects.create(
                key=spec.key or f"test:{len(made) + len(rows) + 1}",
                kind=spec.kind,
                challenge=demo_site.challenge,
                title=spec.title,
                summary=spec.summary,
                body=spec.body,
                url=f"/archive-test/{len(made) + len(rows) + 1}/",
                sponsor_slug=spec.sponsor[0],
                sponsor_name=spec.sponsor[1],
                theme_slugs=[theme.slug for theme in chosen],
                theme_names=[theme.name for theme in chosen],
                year=spec.year,
                date=date,
                status=spec.status,
                status_label=STATUS_LABELS.get(spec.status, spec.status.title()),
                organisation_name=spec.organisation_name,
                challenge_title=spec.challenge_title or spec.title,
                source_modified=date,
                pilot_status=spec.pilot_status,
                pilot_status_label=PILOT_LABELS.get(spec.pilot_status, spec.pilot_status.title()),
            )
            row.themes.set(chosen)
            rows.append(row)
        made.extend(rows)
        return rows

    return make


STANDARD = (
    Spec(
        "Prevent homelessness with data",
        summary="Help the council spot households at risk of homelessness before they lose their home.",
        body="Evictions from private renting are the biggest single cause of homelessness in the region.",
        themes=("homelessness", "open-data"),
        year=2024,
        status="archived",
        days=-700,
        key="challenge:1",
    ),
    Spec(
        "Early warning for rent arrears",
        kind="winner",
        summary="A model that flags tenants at risk of eviction early, so advisers can call first.",
        body="The panel chose it because it reached households months before a possession claim.",
        themes=("homelessness", "open-data"),
        year=2024,
        status="winner",
        organisation_name="Brumtech Ltd",
        challenge_title="Prevent homelessness with data",
        days=-600,
        key="proposal:1",
    ),
    Spec(
        "Tenancy sustainment tools",
        kind="winner",
        summary="Text reminders and budgeting help that keep tenancies going.",
        body="Highly commended for its reach among young tenants.",
        themes=("homelessness",),
        year=2024,
        status="highly_commended",
        organisation_name="Kind Homes CIC",
        challenge_title="Prevent homelessness with data",
        days=-590,
        key="proposal:2",
    ),
    Spec(
        "Rough sleeping outreach in Manchester",
        summary="Find and support people sleeping rough, with the voluntary sector.",
        body="Outreach teams need to share what they know about each person's needs.",
        sponsor=GMCA,
        themes=("homelessness", "wellbeing"),
        year=2025,
        status="closed",
        days=-300,
        key="challenge:2",
    ),
    Spec(
        "Loneliness among older residents",
        summary="Reach older people living alone and connect them with their neighbours.",
        body="Wellbeing services want to know who is isolated.",
        sponsor=GMCA,
        themes=("wellbeing",),
        year=2025,
        status="archived",
        days=-250,
        key="challenge:3",
    ),
    Spec(
        "Open data for bus reliability",
        summary="Publish live bus reliability data that anyone can reuse.",
        body="Riders and operators both want to see which routes run late.",
        themes=("open-data",),
        year=2026,
        status="open",
        days=-10,
        key="challenge:4",
    ),
    Spec(
        "Bus arrival predictions",
        kind="winner",
        summary="Predicted arrival times published as open data every minute.",
        body="Chosen because its predictions were the most accurate in the trial.",
        sponsor=GMCA,
        themes=("open-data",),
        year=2026,
        status="winner",
        organisation_name="Transit Labs",
        challenge_title="Open data for bus reliability",
        days=-5,
        key="proposal:3",
    ),
)
"""Seven entries: 4 challenges and 3 winners; 2 sponsors; 3 themes; 3 years; 5 statuses."""


@pytest.fixture
def archive(backend, make_entries):
    """The standard archive, indexed on the backend under test."""
    rows = make_entries(*STANDARD)
    backend.index(rows)
    return rows
