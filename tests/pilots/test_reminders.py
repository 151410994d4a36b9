"""Reminders about pilot reports go once each, however often the beat runs: a report due within the pilot's
reminder days, an overdue one, and the weekly digest of overdue and at-risk pilots to the sponsor's managers."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from pilots.models import Milestone, PilotStatus
from pilots.services.reminders import pilot_digest_send, report_reminders_send
from pilots.services.setup import pilot_status_set
from pilots.tasks import send_pilot_digest, send_report_reminders
from tests.factories.pilot_setup import build_pilot_scene, report_submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(sponsor_index, sponsor):
    return build_pilot_scene(sponsor_index, sponsor)


def run(function, capture, **kwargs):
    with capture(execute=True):
        function(**kwargs)


def test_a_report_due_within_the_reminder_days_is_reminded_once(scene, django_capture_on_commit_callbacks):
    first = scene.milestones[0]
    too_early = first.due_on - timedelta(days=8)
    run(report_reminders_send, django_capture_on_commit_callbacks, today=too_early)
    assert mail.outbox == []

    for day in (first.due_on - timedelta(days=7), first.due_on - timedelta(days=3), first.due_on):
        run(report_reminders_send, django_capture_on_commit_callbacks, today=day)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([scene.supplier.email], f"Report due: Milestone 1 for “{scene.challenge.title}”")
    ]
    assert "/pilots/reports/" in mail.outbox[0].body


def test_an_overdue_report_is_reminded_once_and_a_submitted_one_never(scene, django_capture_on_commit_callbacks):
    first, second = scene.milestones
    Milestone.objects.filter(pk=second.pk).update(due_on=first.due_on)
    report_submitted(scene, second, {})
    mail.outbox.clear()
    late = first.due_on + timedelta(days=1)
    run(report_reminders_send, django_capture_on_commit_callbacks, today=late)
    run(report_reminders_send, django_capture_on_commit_callbacks, today=late + timedelta(days=2))
    assert [m.subject for m in mail.outbox] == [f"Report overdue: Milestone 1 for “{scene.challenge.title}”"]


def test_a_stopped_pilot_sends_no_reminders(scene, django_capture_on_commit_callbacks):
    pilot_status_set(pilot=scene.pilot, status=PilotStatus.STOPPED, reason="Funding withdrawn.", by=scene.manager)
    run(report_reminders_send, django_capture_on_commit_callbacks, today=scene.milestones[0].due_on + timedelta(days=1))
    assert mail.outbox == []


def test_the_weekly_digest_names_overdue_and_at_risk_pilots_once_a_week(scene, django_capture_on_commit_callbacks):
    monday = scene.milestones[0].due_on + timedelta(days=7 - scene.milestones[0].due_on.weekday())
    run(pilot_digest_send, django_capture_on_commit_callbacks, today=monday)
    run(pilot_digest_send, django_capture_on_commit_callbacks, today=monday + timedelta(days=1))
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [scene.manager.email]
    assert "Report overdue: Milestone 1" in digest.body
    assert "Brumtech Analytics Ltd" in digest.body

    run(pilot_digest_send, django_capture_on_commit_callbacks, today=monday + timedelta(days=7))
    assert len(mail.outbox) == 2


def test_the_digest_is_quiet_when_nothing_needs_attention(scene, django_capture_on_commit_callbacks):
    before_anything_is_due = scene.pilot.starts_on
    run(pilot_digest_send, django_capture_on_commit_callbacks, today=before_anything_is_due)
    assert mail.outbox == []
    pilot_status_set(pilot=scene.pilot, status=PilotStatus.AT_RISK, reason="Key analyst left.", by=scene.manager)
    run(pilot_digest_send, django_capture_on_commit_callbacks, today=before_anything_is_due)
    assert "At risk: Key analyst left." in mail.outbox[0].body


def test_the_beat_tasks_remind_and_digest_for_today(scene, django_capture_on_commit_callbacks):
    Milestone.objects.filter(pk=scene.milestones[0].pk).update(due_on=timezone.localdate() + timedelta(days=3))
    pilot_status_set(pilot=scene.pilot, status=PilotStatus.AT_RISK, reason="Key analyst left.", by=scene.manager)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_report_reminders.apply().get() == 1
        assert send_pilot_digest.apply().get() == 1
    assert sorted(m.subject.split(":")[0] for m in mail.outbox) == ["Pilots needing attention this week", "Report due"]
