"""A site administrator can see the outbox, read-only, and send failed emails again."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from tests.factories import UserFactory


@pytest.fixture
def admin_client(client, db):
    admin = UserFactory(email="admin@example.org", is_superuser=True, is_staff=True)
    TOTP.activate(admin, generate_totp_secret())
    client.force_login(admin)
    return client


@pytest.fixture
def outbox(db):
    sent = Notification.objects.create(
        to_email="asha@example.org",
        template="t",
        subject="Proposal received",
        body_text="b",
        status="sent",
        sent_at=timezone.now(),
    )
    failed = Notification.objects.create(
        to_email="ben@example.org", template="t", subject="Question answered", body_text="b", status="failed"
    )
    return sent, failed


@pytest.mark.django_db
def test_the_outbox_lists_recipients_subjects_and_status_without_an_add_button(admin_client, outbox):
    response = admin_client.get(reverse("admin:notifications_notification_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("asha@example.org", "Proposal received", "Question answered", "Failed", "Sent"):
        assert text in html
    assert reverse("admin:notifications_notification_add") not in html


@pytest.mark.django_db
def test_a_notification_cannot_be_changed_or_deleted(admin_client, outbox):
    sent, _ = outbox
    url = reverse("admin:notifications_notification_change", args=(sent.pk,))
    assert admin_client.get(url).status_code == 200
    admin_client.post(url, {"subject": "Changed"})
    sent.refresh_from_db()
    assert sent.subject == "Proposal received"
    assert admin_client.post(reverse("admin:notifications_notification_delete", args=(sent.pk,))).status_code == 403


@pytest.mark.django_db
def test_failed_emails_can_be_sent_again(admin_client, outbox, django_capture_on_commit_callbacks):
    sent, failed = outbox
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:notifications_notification_changelist"),
            {"action": "send_again", "_selected_action": [sent.pk, failed.pk]},
        )
    assert response.status_code == 302
    assert [email.subject for email in mail.outbox] == ["Question answered"]
    failed.refresh_from_db()
    assert failed.status == Notification.Status.SENT
