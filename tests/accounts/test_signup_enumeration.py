"""Signing up with an address that already has an account looks and takes the same as signing up with a new one:
the same code page, the same controls, the same password hashing; only the owner's inbox tells the difference."""

import re
import time

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-and-unusual-passphrase"
EXISTING = "ada@brumtech.example"
NEW = "sam@kindredfutures.example"


class CountingHasher(MD5PasswordHasher):
    """Fast, but counts every password it hashes and takes a fixed, noticeable time doing it."""

    algorithm = "counting_md5"
    calls = 0
    seconds = 0.3

    def encode(self, password, salt):
        type(self).calls += 1
        time.sleep(self.seconds)
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = ["tests.accounts.test_signup_enumeration.CountingHasher"]
    CountingHasher.calls = 0
    return CountingHasher


def sign_up(email: str, capture):
    browser = Client()
    with capture(execute=True):
        response = browser.post(reverse("account_signup"), {"email": email, "password1": PASSWORD,
                                                            "password2": PASSWORD})  # fmt: skip
    return browser, response


def normalised(html: str, email: str) -> str:
    html = html.replace(email, "EMAIL")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value=""', html)


def test_the_code_page_is_the_same_for_an_existing_and_a_new_address(django_capture_on_commit_callbacks):
    UserFactory(verified=True, email=EXISTING)
    pages = {}
    for email in (EXISTING, NEW):
        browser, response = sign_up(email, django_capture_on_commit_callbacks)
        assert response.status_code == 302 and response.url == reverse("account_email_verification_sent")
        pages[email] = normalised(browser.get(response.url).content.decode(), email)

    assert pages[EXISTING] == pages[NEW]
    assert "Use a different email address" in pages[NEW]
    assert "Send a new code" in pages[NEW]
    # Only the inboxes differ: the owner hears someone tried, the newcomer gets a code.
    assert [message.to for message in mail.outbox] == [[EXISTING], [NEW]]
    assert "already have an account" in mail.outbox[0].subject


def test_both_addresses_hash_the_password_so_they_take_the_same_time(
    counting_hasher, django_capture_on_commit_callbacks
):
    UserFactory(verified=True, email=EXISTING)
    counting_hasher.calls = 0
    timings = {}
    for email in (EXISTING, NEW):
        before_calls, started = counting_hasher.calls, time.monotonic()
        sign_up(email, django_capture_on_commit_callbacks)
        timings[email] = (counting_hasher.calls - before_calls, time.monotonic() - started)

    assert timings[EXISTING][0] == timings[NEW][0] == 1
    assert timings[EXISTING][1] >= CountingHasher.seconds and timings[NEW][1] >= CountingHasher.seconds


def test_starting_again_from_the_code_page_looks_the_same_either_way(django_capture_on_commit_callbacks):
    owner = UserFactory(verified=True, email=EXISTING)
    for email in (EXISTING, NEW):
        browser, _ = sign_up(email, django_capture_on_commit_callbacks)
        response = browser.post(reverse("account_signup_restart"))
        assert response.status_code == 302 and response.url == reverse("account_signup")
        # The sign-up in progress is gone: the code page sends the browser back to sign in.
        assert browser.get(reverse("account_email_verification_sent")).status_code == 302
    # The new, unused account was dropped; the existing one is untouched.
    assert list(User.objects.values_list("email", flat=True)) == [owner.email]


def test_the_address_cannot_be_changed_in_place_while_signing_up(django_capture_on_commit_callbacks):
    """allauth's in-place change worked only for new accounts; a crafted POST of it now just checks a code."""
    browser, response = sign_up(NEW, django_capture_on_commit_callbacks)
    page = browser.post(response.url, {"action": "change", "email": "other@example.com"})
    assert page.status_code == 200
    assert '<a href="#id_code">Enter the code</a>' in page.content.decode()
    assert User.objects.get().email == NEW
    assert not User.objects.filter(email="other@example.com").exists()
