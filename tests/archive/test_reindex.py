"""``manage.py archive_reindex``: rebuilds the entries from the challenges, then the search index, on the
database backend and on Elasticsearch (osmem-server, or the cluster in ``ELASTICSEARCH_URL``)."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from archive import search as archive_search
from archive.management.commands.archive_reindex import Progress
from archive.models import ArchiveEntry
from archive.search import SearchRequest
from challenges.models import ChallengePage, Theme
from judging.models import Decision
from submissions.models import ProposalStatus
from tests.factories import ChallengePageFactory
from tests.factories.challenges import make_manager
from tests.factories.judging import closed_challenge
from tests.factories.submissions import make_proposal

pytest_plugins = ["tests.archive.conftest_elastic"]


@pytest.fixture
def challenges(sponsor_index, sponsor):
    """Two public challenges (one announced, with a consented winner), a draft, and nothing indexed yet."""
    homelessness = Theme.objects.get(slug="homelessness")
    announced = closed_challenge(sponsor_index, sponsor, title="Prevent homelessness with data", themes=[homelessness])
    winner = make_proposal(announced, status=ProposalStatus.WINNER, title="Early warning for rent arrears")
    Decision.objects.create(
        proposal=winner,
        outcome="winner",
        feedback="Well done.",
        public_rationale="A clear route to fewer evictions.",
        decided_by=make_manager(sponsor),
    )
    ChallengePage.objects.filter(pk=announced.pk).update(announced_at=timezone.now() - timedelta(days=1))
    open_now = ChallengePageFactory(parent=sponsor_index, sponsor=sponsor, title="Cleaner air around schools")
    ChallengePageFactory(parent=sponsor_index, sponsor=sponsor, title="A draft nobody may see", live=False)
    ArchiveEntry.objects.all().delete()
    return announced, open_now


def reindex(*args) -> str:
    out = io.StringIO()
    call_command("archive_reindex", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def found(q: str = "") -> set[str]:
    return {hit.title for hit in archive_search.search(SearchRequest(q=q)).hits}


@pytest.fixture(params=["database", "elasticsearch"])
def on_backend(request, settings):
    if request.param == "elasticsearch":
        request.getfixturevalue("elasticsearch_settings")
    else:
        settings.ARCHIVE_SEARCH_BACKEND = archive_search.DATABASE_BACKEND
    return request.param


def test_reindex_builds_the_entries_and_the_index_with_progress(challenges, on_backend):
    output = reindex()

    assert "Synced challenges 2/2" in output
    assert "Archive entries from 2 challenges checked: challenges: 2, winners: 1." in output
    assert "Indexed 3/3" in output
    assert f"Indexed 3 archive entries on the {on_backend} backend (challenges: 2, winners: 1)." in output
    assert found() == {"Prevent homelessness with data", "Early warning for rent arrears", "Cleaner air around schools"}
    assert found("evictions") == {"Early warning for rent arrears"}


def test_reindex_drops_what_is_no_longer_public(challenges, on_backend):
    _announced, open_now = challenges
    reindex()
    open_now.unpublish()

    reindex()

    assert not ArchiveEntry.objects.filter(challenge_id=open_now.pk).exists()
    assert found() == {"Prevent homelessness with data", "Early warning for rent arrears"}


def test_entries_only_leaves_the_index_and_index_only_leaves_the_entries(challenges, elasticsearch_settings):
    output = reindex("--entries-only")
    assert "Indexed" not in output
    assert ArchiveEntry.objects.count() == 3
    assert found() == set()

    ArchiveEntry.objects.filter(title="Cleaner air around schools").update(title="Cleaner air near schools")
    output = reindex("--index-only")
    assert "Synced" not in output
    assert "Cleaner air near schools" in found()


def test_an_unreachable_cluster_stops_the_index_phase_with_a_clear_message(challenges, settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    settings.ELASTICSEARCH_TIMEOUT = 1
    settings.ARCHIVE_SEARCH_BACKEND = "archive.backends.elastic.ElasticsearchBackend"

    with pytest.raises(CommandError, match=r"elasticsearch search backend is unavailable .* --index-only"):
        reindex("--index-only")


def test_the_options_cannot_be_combined():
    with pytest.raises(CommandError, match="not allowed with argument"):
        reindex("--entries-only", "--index-only")


class FakeOut(io.StringIO):
    def __init__(self, tty: bool):
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str, ending: str = "\n") -> None:
        super().write(text + ending)


def test_progress_is_a_bar_on_a_terminal_and_lines_in_a_log():
    log = FakeOut(tty=False)
    progress = Progress(log, "Indexed", 5000)
    for done in range(500, 5001, 500):
        progress(done)
    progress(5000)
    progress.finish()
    assert log.getvalue().splitlines() == [f"Indexed {n}/5000" for n in range(500, 5001, 500)]

    terminal = FakeOut(tty=True)
    progress = Progress(terminal, "Indexed", 4)
    progress(2)
    progress(4)
    progress.finish()
    assert terminal.getvalue() == (f"\rIndexed [{'#' * 15}{'-' * 15}] 2/4\rIndexed [{'#' * 30}] 4/4\n")
