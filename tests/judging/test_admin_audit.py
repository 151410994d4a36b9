"""The audit log in the Wagtail admin: who did what on this challenge, newest first, read-only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import Event
from audit.services import event_record
from submissions.models import ProposalStatus
from tests.factories.submissions import make_proposal
from tests.judging.test_admin_screening import (
    ROLES,
    assert_refused,
    assert_sent_to_sign_in,
    refused_user,
    row_text,
)

S = ProposalStatus
pytestmark = pytest.mark.django_db


def url(scene, query: str = "") -> str:
    return reverse("judging_admin:audit", args=(scene.challenge.pk,)) + query


def main_content(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def test_the_log_shows_what_the_managers_actions_wrote(manager_client, scene):
    scene.manager.first_name, scene.manager.last_name = "Maya", "Okonjo"
    scene.manager.save()
    submitted = make_proposal(scene.challenge, status=S.SUBMITTED)
    screening = reverse("judging_admin:proposals", args=(scene.challenge.pk,))
    manager_client.post(screening, {"proposals": [submitted.pk], "to": "eligible"})
    manager_client.post(reverse("judging_admin:assignments_auto", args=(scene.challenge.pk,)))

    response = manager_client.get(url(scene))
    assert response.status_code == 200
    html = response.content.decode()
    row = row_text(html, "Screened eligible</td>")
    assert f"Maya Okonjo Screened eligible {submitted.reference} Submitted → Eligible" in row
    assert html.index("Sent to assessment</td>") < html.index("Screened eligible</td>"), "newest first"
    assert "Assigned: " in html and "Automatic assignment" in html
    assert f'href="{reverse("judging_admin:proposal", args=(scene.challenge.pk, submitted.pk))}"' in html


def test_each_column_reads_as_a_sentence(manager_client, scene):
    event_record(
        actor=scene.manager,
        verb="screened ineligible",
        proposal=scene.other_proposal,
        from_status=S.SUBMITTED,
        to_status=S.INELIGIBLE,
        note="Based outside the region.",
    )
    event_record(actor=None, verb="winners announced", challenge=scene.challenge)
    html = manager_client.get(url(scene)).content.decode()
    row = row_text(html, "Screened ineligible</td>")
    assert row.endswith(
        f"{scene.manager} Screened ineligible {scene.other_proposal.reference} Submitted → Ineligible "
        "Based outside the region."
    )
    assert row_text(html, "Winners announced</td>").endswith(
        "The platform, or an account since deleted Winners announced"
    )


def test_other_challenges_events_are_not_shown(manager_client, scene):
    event_record(actor=scene.other_manager, verb="judge invited", challenge=scene.other_challenge, subject="x@y.z")
    html = manager_client.get(url(scene)).content.decode()
    assert "x@y.z" not in html
    assert "Nothing has been recorded for this challenge yet." in html


def test_the_log_is_paginated_by_fifty(manager_client, scene):
    for n in range(55):
        event_record(
            actor=scene.manager, verb="judge invited", challenge=scene.challenge, subject=f"j{n:02d}@p.example"
        )
    first = manager_client.get(url(scene)).content.decode()
    assert "j54@p.example" in first and "j05@p.example" in first
    assert "j04@p.example" not in first
    assert "Page 1 of 2" in first
    second = manager_client.get(url(scene, "?p=2")).content.decode()
    assert "j04@p.example" in second and "j00@p.example" in second
    assert "j05@p.example" not in second


def test_filtering_by_verb(manager_client, scene):
    event_record(actor=scene.manager, verb="judge invited", challenge=scene.challenge, subject="new@panel.example")
    event_record(actor=scene.manager, verb="invitation withdrawn", challenge=scene.challenge, subject="old@p.example")
    html = manager_client.get(url(scene, "?verb=judge+invited")).content.decode()
    assert "new@panel.example" in html
    assert "old@p.example" not in html
    assert '<option value="judge invited" selected>Judge invited</option>' in html


def test_an_unknown_verb_is_ignored_with_a_message(manager_client, scene):
    event_record(actor=scene.manager, verb="judge invited", challenge=scene.challenge, subject="new@panel.example")
    html = manager_client.get(url(scene, "?verb=deleted")).content.decode()
    assert "Nothing in this log is “deleted”, so every event is shown." in html
    assert "new@panel.example" in html


def test_the_log_is_read_only(manager_client, scene):
    event_record(actor=scene.manager, verb="judge invited", challenge=scene.challenge, subject="new@panel.example")
    response = manager_client.get(url(scene))
    assert 'method="post"' not in main_content(response.content.decode())
    assert manager_client.post(url(scene)).status_code == 405
    assert Event.objects.count() == 1


def test_the_query_count_does_not_grow_with_events(manager_client, scene):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert manager_client.get(url(scene)).status_code == 200
        return len(captured)

    def add(count):
        for n in range(count):
            proposal = scene.proposal if n % 2 else scene.other_proposal
            actor = scene.manager if n % 3 else scene.judges[n % 2]
            event_record(actor=actor, verb=f"verb {n % 4}", proposal=proposal, from_status="submitted")

    add(3)
    few = queries()
    add(60)
    assert queries() == few


@pytest.mark.parametrize("role", ROLES)
def test_everyone_but_the_challenges_managers_is_refused(client, scene, role):
    event_record(actor=scene.manager, verb="judge invited", challenge=scene.challenge, subject="secret@panel.example")
    client.force_login(refused_user(scene, role))
    assert_refused(client.get(url(scene), follow=True), role, secrets=["secret@panel.example"])


def test_anonymous_visitors_are_sent_to_sign_in(client, scene):
    assert_sent_to_sign_in(client.get(url(scene)))
