"""The pilot scorecard on a winner's public page, the pilot status in the archive's lists and its "Pilot status"
filter, from real rows: an announced challenge, its winners, and a pilot with reports in every state."""

import html
import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.models import ArchiveEntry
from archive.reconcile import archive_reconcile
from archive.search import DATABASE_BACKEND
from archive.services import archive_sync_challenge
from pagecache.middleware import HEADER
from pilots.models import Pilot, PilotStatus, Report, ReportStatus
from pilots.services.setup import pilot_status_set
from tests.factories.pilot_scorecards import (
    HIDDEN,
    HOUSEHOLDS,
    add_measure,
    add_milestone,
    add_report,
    announced_challenge,
    leaky_pilot,
    make_pilot,
    sized_pilot,
)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    body = re.sub(r"</?(a|span|strong)\b[^>]*>", "", response.content.decode())
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def winner_url(proposal) -> str:
    return reverse("archive:winner", kwargs={"pk": proposal.pk})


@pytest.fixture
def scene(sponsor_index, sponsor, manager, settings, django_capture_on_commit_callbacks):
    """An announced challenge with three winners: one whose pilot has reports in every state (``leaky_pilot``), one
    with a pilot on track and no report yet, and one without a pilot."""
    settings.ARCHIVE_SEARCH_BACKEND = DATABASE_BACKEND
    with django_capture_on_commit_callbacks(execute=True):
        challenge, proposals = announced_challenge(
            sponsor_index, sponsor, manager, ["Early Help Finder", "Home Truths", "Rent Radar"]
        )
        leaky_pilot(proposals[0], by=manager)
        make_pilot(proposals[1], by=manager)
    return challenge, proposals


def test_the_scorecard_shows_the_public_record_of_the_pilot(client, scene):
    _, (leaky, _, _) = scene
    response = client.get(winner_url(leaky))
    page = text(response)

    assert "Pilot scorecard Pilot status: At risk" in page
    assert "Why it is at risk: Referrals slowed over winter." in page
    assert "Milestones 2 of 5 done" in page
    assert "Money £10,000 awarded, £5,000 paid so far" in page
    assert f"{HOUSEHOLDS} in figures Baseline 0 households" in page
    assert "accepted 140 households Target (higher is better) 200 households Target reached Not yet" in page
    assert "What the pilot achieved" not in page


def test_the_chart_has_a_text_alternative_and_a_table_beside_it(client, scene):
    _, (leaky, _, _) = scene
    content = client.get(winner_url(leaky)).content.decode()

    (svg,) = re.findall(r'<svg [^>]*class="uc-measure-chart".*?</svg>', content, re.S)
    assert 'role="img"' in svg and re.search(r'aria-labelledby="(measure-\d+-chart)-title \1-desc"', svg)
    assert f"{HOUSEHOLDS}: baseline 0, target 200, latest 140 at Milestone 2</title>" in svg
    assert ">Target 200</text>" in svg
    caption = f'govuk-visually-hidden">{HOUSEHOLDS} in figures</caption>'
    assert caption in content
    assert content.index(svg) < content.index(caption)


def test_the_timeline_runs_from_the_challenge_to_the_outcome_with_done_in_words(client, scene):
    _, (leaky, _, _) = scene
    content = client.get(winner_url(leaky)).content.decode()
    timeline = re.search(r'<ol class="govuk-list govuk-list--number uc-timeline">(.*?)</ol>', content, re.S).group(1)
    items = [
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", item)).split())
        for item in re.findall(r"<li>(.*?)</li>", timeline, re.S)
    ]

    assert " opened" in items[0]
    labels = [item.split(",")[0].strip() for item in items]
    assert labels[-8:] == [
        "Award announced",
        "Pilot starts",
        "Milestone: Milestone 1",
        "Milestone: Milestone 2",
        "Milestone: Milestone 3",
        "Milestone: Milestone 4",
        "Milestone: Milestone 5",
        "Pilot due to end",
    ]
    assert [item.rsplit(": ", 1)[-1] for item in items[-8:]] == ["Done"] * 4 + ["Not yet"] * 4


def test_nothing_but_accepted_values_of_public_measures_reaches_the_page(client, scene):
    _, (leaky, _, _) = scene
    content = client.get(winner_url(leaky)).content.decode()
    page = html.unescape(content)
    for hidden in HIDDEN.strings():
        assert hidden not in page, hidden


def test_the_final_summary_appears_once_the_final_report_is_accepted(client, scene, manager):
    _, (_, commended, _) = scene
    pilot = Pilot.objects.get(decision__proposal=commended)
    measure = add_measure(pilot, "People helped into work", unit="people", baseline=0, target=10)
    final = add_milestone(pilot, "Final report", pilot.ends_on)
    report = add_report(final, ReportStatus.SUBMITTED, {measure: 12}, public_summary="Twelve people found work.")
    assert "Twelve people found work." not in text(client.get(winner_url(commended)))

    report.status = ReportStatus.ACCEPTED
    report.save()
    page = text(client.get(winner_url(commended)))
    assert "What the pilot achieved Twelve people found work." in page
    assert "Final report" in page
    assert "accepted 12 people Target (higher is better) 10 people Target reached Reached" in page


def test_a_winner_without_a_pilot_has_no_scorecard(client, scene):
    _, (_, _, plain) = scene
    response = client.get(winner_url(plain))
    assert response.status_code == 200 and "Pilot scorecard" not in text(response)


def test_the_winner_page_reads_as_many_queries_for_4_milestones_as_for_1(
    client, sponsor_index, sponsor, manager, django_assert_max_num_queries
):
    challenge, (one, four) = announced_challenge(sponsor_index, sponsor, manager, ["Small pilot", "Bigger pilot"])
    sized_pilot(one, by=manager, size=1)
    sized_pilot(four, by=manager, size=4)
    archive_sync_challenge(challenge.pk)
    client.get(winner_url(one))  # warm the site's own lookups

    with CaptureQueriesContext(connection) as small:
        assert "1 of 1 done" in text(client.get(winner_url(one)))
    with django_assert_max_num_queries(len(small)):
        page = text(client.get(winner_url(four)))
    assert "4 of 4 done" in page and "Measure 3" in page


def test_results_and_the_winners_gallery_show_each_pilots_status(client, scene):
    page = text(client.get(reverse("archive:winners")))
    assert "Winner Pilot: At risk Early Help Finder" in page
    assert "Winner Pilot: On track Home Truths" in page
    assert "Winner Rent Radar" in page

    page = text(client.get(reverse("archive:search"), {"q": "Early Help Finder"}))
    assert "Pilot: At risk" in page


def test_the_pilot_status_filter_narrows_the_archive_and_the_gallery(client, scene):
    page = text(client.get(reverse("archive:search")))
    assert "Pilot status At risk (1) On track (1)" in page

    page = text(client.get(reverse("archive:search"), {"pilot": "at_risk"}))
    assert "Early Help Finder" in page and "Home Truths" not in page and "Rent Radar" not in page
    assert "Remove filter: Pilot status At risk" in page

    page = text(client.get(reverse("archive:winners"), {"pilot": "on_track"}))
    assert "1 winner matching On track" in page and "Early Help Finder" not in page


def test_an_unknown_pilot_status_is_ignored_with_a_message(client, scene):
    page = text(client.get(reverse("archive:search"), {"pilot": "flying"}))
    assert "These filters are not in the archive, so they were ignored: pilot status “flying”." in page


def test_a_pilot_status_change_reaches_the_archive(scene, django_capture_on_commit_callbacks):
    _, (_, commended, _) = scene
    pilot = Pilot.objects.get(decision__proposal=commended)
    with django_capture_on_commit_callbacks(execute=True):
        pilot.status, pilot.status_reason = PilotStatus.STOPPED, "The supplier went into administration."
        pilot.save()
    entry = ArchiveEntry.objects.get(proposal=commended)
    assert (entry.pilot_status, entry.pilot_status_label) == ("stopped", "Stopped")


def test_a_pilot_status_change_moves_the_winner_in_a_blank_searchs_pilot_counts(
    scene, django_capture_on_commit_callbacks
):
    from tests.archive.test_facet_cells import assert_exact, page

    _, (_, commended, _) = scene
    before = page({})[1]["pilot"]
    pilot = Pilot.objects.get(decision__proposal=commended)
    with django_capture_on_commit_callbacks(execute=True):
        pilot.status, pilot.status_reason = PilotStatus.STOPPED, "The supplier went into administration."
        pilot.save()
    after = page({})[1]["pilot"]
    assert after.get("stopped", 0) == before.get("stopped", 0) + 1
    assert sum(after.values()) == sum(before.values())
    assert_exact()


def test_a_status_change_dates_the_winners_entry_so_a_search_backend_that_missed_it_is_repaired(
    scene, manager, django_capture_on_commit_callbacks
):
    _, (_, commended, _) = scene
    pilot = Pilot.objects.get(decision__proposal=commended)
    before = ArchiveEntry.objects.get(proposal=commended).source_modified
    with django_capture_on_commit_callbacks(execute=True):
        pilot_status_set(pilot=pilot, status=PilotStatus.AT_RISK, reason="Referrals slowed.", by=manager)
    pilot.refresh_from_db()
    entry = ArchiveEntry.objects.get(proposal=commended)
    assert entry.source_modified == pilot.status_changed_at > before


def test_reconcile_repairs_a_pilot_status_the_archive_missed(scene):
    _, (_, commended, _) = scene
    Pilot.objects.filter(decision__proposal=commended).update(status=PilotStatus.COMPLETE, status_reason="Done.")
    assert archive_reconcile()["status"] == 1
    assert ArchiveEntry.objects.get(proposal=commended).pilot_status == "complete"
    assert archive_reconcile()["status"] == 0


def test_the_challenge_page_lists_each_awards_pilot_with_a_link(client, scene):
    challenge, (leaky, _, _) = scene
    response = client.get(challenge.url)
    page = text(response)
    assert "Pilot At risk Milestones: 2 of 5 done. See the pilot scorecard for Early Help Finder" in page
    assert "Pilot On track Milestones: 0 of 0 done." in page
    assert f'href="{winner_url(leaky)}"' in response.content.decode()
    assert page.count("See the pilot scorecard") == 2


@override_settings(PAGE_CACHE_SECONDS=300)
def test_accepting_a_report_purges_the_cached_winner_page(client, scene, django_capture_on_commit_callbacks):
    _, (leaky, _, _) = scene
    client.get(winner_url(leaky))
    assert client.get(winner_url(leaky))[HEADER] == "hit"

    report = Report.objects.get(milestone__pilot__decision__proposal=leaky, status=ReportStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        report.status = ReportStatus.ACCEPTED
        report.save()

    after = client.get(winner_url(leaky))
    assert after[HEADER] == "miss" and "Milestones 3 of 5 done" in text(after)
