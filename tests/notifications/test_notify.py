"""notify(): one entry point that renders an email at the event and sends it once, after commit."""

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from notifications import services
from notifications.models import Notification
from notifications.services import notify

RECEIPT = {"name": "Asha", "reference": "UC-2027-00042", "challenge": "Homes & hope"}


@pytest.mark.django_db
def test_an_email_is_rendered_stored_and_sent_once_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            to="asha@example.org",
            template="tests/email/receipt",
            context=RECEIPT,
            key="receipt:42:v1",
            reply_to="help@wmca.example",
        )

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["asha@example.org"]
    assert email.reply_to == ["help@wmca.example"]
    assert email.from_email == "Urban Challenge <no-reply@urban-challenge.example>"
    assert email.subject == "Proposal UC-2027-00042 received & logged"
    assert 'We received proposal UC-2027-00042 for "Homes & hope".' in email.body
    assert email.body.rstrip().endswith("Urban Challenge\nhttp://testserver")
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="en">' in html
    assert "<title>Proposal UC-2027-00042 received</title>" in html
    assert "Homes &amp; hope" in html
    assert email.extra_headers["X-Notification-Key"] == "receipt:42:v1"
    assert email.extra_headers["Message-ID"].endswith("@urban-challenge.example>")

    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.sent_at is not None
    assert notification.attempts == 1
    assert notification.subject == email.subject
    assert notification.body_text == email.body
    assert notification.body_html == html


@pytest.mark.django_db
def test_nothing_is_sent_before_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(to="asha@example.org", template="tests/email/receipt", context=RECEIPT, key="receipt:42:v1")
    assert mail.outbox == []
    assert Notification.objects.get().status == Notification.Status.PENDING
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_the_same_key_twice_stores_one_row_and_sends_one_email(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(to="asha@example.org", template="tests/email/receipt", context=RECEIPT, key="receipt:42:v1")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = notify(
            to="asha@example.org",
            template="tests/email/receipt",
            context={**RECEIPT, "name": "Changed"},
            key="receipt:42:v1",
        )
    assert second.pk == first.pk
    assert callbacks == []
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1
    assert "Dear Asha," in mail.outbox[0].body


@pytest.mark.django_db
def test_calls_without_a_key_each_send(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(to="asha@example.org", template="tests/email/plain", context={})
        second = notify(to="asha@example.org", template="tests/email/plain", context={})
    assert first.key != second.key
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_rolled_back_event_sends_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(to="asha@example.org", template="tests/email/receipt", context=RECEIPT, key="receipt:42:v1")
        raise RuntimeError("the proposal could not be saved")
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_the_html_part_is_optional_and_the_site_is_in_the_context(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(to="asha@example.org", template="tests/email/plain", context={})
    email = mail.outbox[0]
    assert email.subject == "Urban Challenge says hello"
    assert email.body == "Hello from http://testserver.\n"
    assert email.alternatives == []
    assert notification.body_html == ""


@pytest.mark.django_db
def test_a_caller_may_override_the_site_context(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(to="asha@example.org", template="tests/email/plain", context={"site_name": "WMCA Challenges"})
    assert mail.outbox[0].subject == "WMCA Challenges says hello"


@pytest.mark.django_db
def test_a_bad_address_is_refused_before_anything_is_stored():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        notify(to="not an address", template="tests/email/plain", context={})
    assert "to_email" in error.value.message_dict
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_a_concurrent_insert_of_the_same_key_returns_the_winners_row(monkeypatch, django_capture_on_commit_callbacks):
    """Two requests both find no row, both insert: the loser's unique violation hands back the winner's row."""
    winner = Notification.objects.create(
        key="receipt:42:v1", to_email="asha@example.org", template="tests/email/plain", subject="s", body_text="t"
    )
    lookups = iter([None])
    monkeypatch.setattr(services, "_find", lambda key: next(lookups, winner))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = notify(to="asha@example.org", template="tests/email/plain", context={}, key="receipt:42:v1")

    assert result.pk == winner.pk
    assert callbacks == []
    assert Notification.objects.count() == 1
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_integrity_error_about_something_else_is_not_swallowed(monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise IntegrityError("disk says no")

    monkeypatch.setattr(Notification, "save", broken_save)
    with pytest.raises(IntegrityError):
        notify(to="asha@example.org", template="tests/email/plain", context={}, key="receipt:42:v1")


@pytest.mark.django_db
def test_allauth_email_templates_render_through_the_same_entry_point(django_capture_on_commit_callbacks):
    """allauth's adapter passes its template prefix and context straight to notify()."""
    from types import SimpleNamespace

    context = {
        "current_site": SimpleNamespace(name="Urban Challenge", domain="testserver"),
        "password_reset_url": "http://testserver/account/password/reset/key/1-set/?a=1&b=2",
    }
    with django_capture_on_commit_callbacks(execute=True):
        notify(to="asha@example.org", template="account/email/password_reset_key", context=context)
    email = mail.outbox[0]
    assert email.subject
    assert "\n" not in email.subject
    assert "http://testserver/account/password/reset/key/1-set/?a=1&b=2" in email.body
    assert email.alternatives == []
