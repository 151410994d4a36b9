"""The archive follows its sources without a manual reindex: publishing, unpublishing, deleting a challenge and
announcing its winners; only public data is ever written, and the reconcile task repairs drift."""

from datetime import timedelta

import pytest
from django.utils import timezone

from archive.entries import entries_for
from archive.models import ArchiveEntry
from archive.reconcile import archive_reconcile
from archive.services import archive_sync_challenge
from challenges.models import ChallengePage
from judging.services.decisions import challenge_announce, decision_record
from submissions.models import ProposalStatus as S
from submissions.workflow import proposal_transition
from tests.factories import ChallengePageFactory
from tests.factories.challenges import make_manager
from tests.factories.judging import closed_challenge
from tests.factories.submissions import make_proposal


def keys():
    return set(ArchiveEntry.objects.values_list("key", flat=True))


@pytest.fixture
def draft_challenge(sponsor_index, sponsor):
    page = ChallengePageFactory(parent=sponsor_index, sponsor=sponsor, title="Warm homes for every tenant", live=False)
    return page


def test_publishing_makes_a_challenge_findable_and_unpublishing_removes_it(
    draft_challenge, django_capture_on_commit_callbacks
):
    assert keys() == set()
    with django_capture_on_commit_callbacks(execute=True):
        draft_challenge.save_revision().publish()
    entry = ArchiveEntry.objects.get()
    assert (entry.key, entry.kind, entry.title) == (
        f"challenge:{draft_challenge.pk}",
        "challenge",
        draft_challenge.title,
    )
    assert entry.sponsor_name == draft_challenge.sponsor.name and entry.status == "open"
    assert "households at risk" in entry.body  # the rich problem statement and what is sought, as plain text

    page = ChallengePage.objects.get(pk=draft_challenge.pk)
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert keys() == set()


def test_editing_and_republishing_updates_the_entry(draft_challenge, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        draft_challenge.save_revision().publish()
    page = ChallengePage.objects.get(pk=draft_challenge.pk)
    page.title = "Warm, dry homes for every tenant"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert ArchiveEntry.objects.get().title == "Warm, dry homes for every tenant"


def test_deleting_a_challenge_removes_it(draft_challenge, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        draft_challenge.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        ChallengePage.objects.get(pk=draft_challenge.pk).delete()
    assert keys() == set()


def test_a_challenge_behind_a_password_stays_out(draft_challenge):
    from wagtail.models import PageViewRestriction

    draft_challenge.live = True
    draft_challenge.save()
    PageViewRestriction.objects.create(page=draft_challenge, restriction_type="password", password="x")
    assert entries_for(ChallengePage.objects.get(pk=draft_challenge.pk)) == []


@pytest.fixture
def announced(sponsor_index, sponsor, django_capture_on_commit_callbacks):
    challenge = closed_challenge(sponsor_index, sponsor, title="Prevent homelessness with data")
    manager = make_manager(sponsor)
    winner = make_proposal(challenge, status=S.MODERATION, title="Early warning for rent arrears")
    shy = make_proposal(challenge, status=S.MODERATION, title="A quiet winner", consent_to_publish=False)
    commended = make_proposal(challenge, status=S.MODERATION, title="Tenancy coaching")
    unlucky = make_proposal(challenge, status=S.MODERATION, title="Not this time")
    withdrawn = make_proposal(challenge, status=S.SUBMITTED, title="Withdrawn idea", supplier=None)
    member = withdrawn.organisation.memberships.get().user
    proposal_transition(proposal=withdrawn, to=S.WITHDRAWN, by=member)
    rationale = {"public_rationale": "Clear route to fewer evictions."}
    decision_record(proposal=winner, outcome="winner", feedback="Well done.", by=manager, **rationale)
    decision_record(proposal=shy, outcome="winner", feedback="Well done.", by=manager, **rationale)
    decision_record(proposal=commended, outcome="highly_commended", feedback="Close.", by=manager, **rationale)
    decision_record(proposal=unlucky, outcome="not_selected", feedback="Costly.", by=manager)
    archive_sync_challenge(challenge.pk)
    assert keys() == {f"challenge:{challenge.pk}"}  # nothing about any proposal before the announcement
    with django_capture_on_commit_callbacks(execute=True):
        challenge_announce(challenge=challenge, by=manager)
    return challenge, winner, shy, commended, unlucky, withdrawn


def test_announcing_publishes_every_award_and_the_suppliers_words_only_with_consent(announced):
    challenge, winner, shy, commended, _unlucky, _withdrawn = announced
    assert keys() == {
        f"challenge:{challenge.pk}",
        f"proposal:{winner.pk}",
        f"proposal:{shy.pk}",
        f"proposal:{commended.pk}",
    }
    unconsented = ArchiveEntry.objects.get(key=f"proposal:{shy.pk}")
    assert unconsented.organisation_name == shy.organisation.name
    assert unconsented.title == "Winner in “Prevent homelessness with data”"
    assert unconsented.summary == "" and unconsented.body == "Clear route to fewer evictions."
    entry = ArchiveEntry.objects.get(key=f"proposal:{winner.pk}")
    assert (entry.kind, entry.status, entry.status_label) == ("winner", "winner", "Winner")
    assert entry.organisation_name == winner.organisation.name
    assert entry.body == "Clear route to fewer evictions."
    assert entry.summary == winner.public_summary
    assert entry.url == f"/archive/winners/{winner.pk}/"
    assert ArchiveEntry.objects.get(key=f"challenge:{challenge.pk}").status == "winners_announced"


def test_nothing_private_is_ever_written(announced):
    _challenge, winner, *_ = announced
    stored = " ".join(
        str(value) for row in ArchiveEntry.objects.values() for value in row.values() if value is not None
    )
    assert "Well done." not in stored and "Costly." not in stored  # feedback is private
    assert "Not this time" not in stored and "Withdrawn idea" not in stored and "A quiet winner" not in stored
    assert winner.created_by.email not in stored


def test_reconcile_repairs_missing_stale_status_and_gone_entries(sponsor_index, sponsor):
    soon = ChallengePageFactory(parent=sponsor_index, sponsor=sponsor, title="Closing soon")
    other = ChallengePageFactory(parent=sponsor_index, sponsor=sponsor, title="Another")
    archive_sync_challenge(soon.pk)
    assert archive_reconcile()["missing"] == 1  # "Another" was never indexed
    assert keys() == {f"challenge:{soon.pk}", f"challenge:{other.pk}"}

    # A date passes: the challenge closes without any event; reconcile notices the status.
    ChallengePage.objects.filter(pk=soon.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    assert archive_reconcile()["status"] == 1
    assert ArchiveEntry.objects.get(key=f"challenge:{soon.pk}").status == "closed"

    ChallengePage.objects.filter(pk=other.pk).update(live=False)
    assert archive_reconcile()["gone"] == 1
    assert keys() == {f"challenge:{soon.pk}"}
    assert archive_reconcile() == {"missing": 0, "stale": 0, "status": 0, "gone": 0, "cells": 0, "backend": 0}
