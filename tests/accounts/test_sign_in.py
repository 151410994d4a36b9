"""Signing up, confirming the email address, signing in and out, and the account pages (django-allauth)."""

import re

import pytest
from allauth.account import app_settings as account_settings
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from accounts.models import User
from notifications.models import Notification
from tests.factories.accounts import PASSWORD, UserFactory

NEW_PASSWORD = "a-long-and-unusual-passphrase"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """allauth counts attempts in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


SITE_SUFFIX = " \N{EN DASH} Urban Challenge"


def title(response) -> str:
    """The page's title without the site's name, which every title ends with."""
    text = " ".join(re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).split())
    assert text.endswith(SITE_SUFFIX), text
    return text.removesuffix(SITE_SUFFIX)


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


def code_from(email) -> str:
    return re.search(r"^\s*(\d{6})\s*$", email.body, re.M).group(1)


def sign_up(client, capture, email="ada@brumtech.example", password=NEW_PASSWORD):
    with capture(execute=True):
        return client.post(reverse("account_signup"), {"email": email, "password1": password, "password2": password})


@pytest.mark.django_db
def test_settings_keep_email_only_accounts_verification_and_rate_limits():
    login_methods = account_settings.LOGIN_METHODS
    assert login_methods == {"email"}
    assert account_settings.EMAIL_VERIFICATION == account_settings.EmailVerificationMethod.MANDATORY
    assert account_settings.UNIQUE_EMAIL
    assert account_settings.USER_MODEL_USERNAME_FIELD is None
    # Rate limits are on: failed sign-ins per address and per IP, password resets, sign-ups.
    limits = account_settings.RATE_LIMITS
    assert limits["login_failed"] and limits["reset_password"] and limits["signup"]


@pytest.mark.django_db
def test_sign_up_emails_a_code_and_only_the_code_signs_the_person_in(client, django_capture_on_commit_callbacks):
    response = sign_up(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert not signed_in(client)
    user = User.objects.get(email="ada@brumtech.example")
    assert not EmailAddress.objects.get(user=user).verified
    # The email went out through notify(): stored in the outbox, sent when the request's transaction committed.
    notification = Notification.objects.get(to_email="ada@brumtech.example")
    assert notification.template == "account/email/email_confirmation_signup"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Confirm your email address for Urban Challenge"
    code = code_from(mail.outbox[0])

    page = client.get(response.url)
    assert title(page) == "Check your email"
    assert "We have sent a code to <strong>ada@brumtech.example</strong>" in page.content.decode()

    wrong = client.post(response.url, {"code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 200
    assert title(wrong) == "Error: Check your email"
    assert "The code is not correct. Check the email we sent you and try again." in wrong.content.decode()
    assert not signed_in(client)

    right = client.post(response.url, {"code": code})

    assert right.status_code == 302
    assert signed_in(client)
    assert EmailAddress.objects.get(user=user).verified


@pytest.mark.django_db
def test_a_new_code_can_be_sent_and_a_mistyped_address_corrected(client, django_capture_on_commit_callbacks):
    code_page = sign_up(client, django_capture_on_commit_callbacks, email="ada@brumtch.example").url
    html = client.get(code_page).content.decode()
    assert "Send a new code" in html
    assert "Use a different email address" in html

    cache.clear()  # one new code per 10 seconds
    with django_capture_on_commit_callbacks(execute=True):
        client.post(code_page, {"action": "resend"})
    assert len(mail.outbox) == 2 and mail.outbox[-1].to == ["ada@brumtch.example"]

    # "Use a different email address" goes back to the sign-up form, and the mistyped address is free again.
    back = client.post(reverse("account_signup_restart"))
    assert back.status_code == 302 and back.url == reverse("account_signup")
    assert not User.objects.filter(email="ada@brumtch.example").exists()
    code_page = sign_up(client, django_capture_on_commit_callbacks, email="ada@brumtech.example").url
    assert mail.outbox[-1].to == ["ada@brumtech.example"]
    client.post(code_page, {"code": code_from(mail.outbox[-1])})

    assert signed_in(client)
    assert User.objects.get().email == "ada@brumtech.example"


@pytest.mark.django_db
def test_a_weak_password_is_refused_with_the_reason_linked_from_the_error_summary(
    client, django_capture_on_commit_callbacks
):
    response = sign_up(client, django_capture_on_commit_callbacks, password="password123")

    assert response.status_code == 200
    html = response.content.decode()
    assert title(response) == "Error: Create an account"
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    assert '<a href="#id_password1">This password is too short. It must contain at least 12 characters.</a>' in html
    assert '<a href="#id_password1">This password is too common.</a>' in html
    assert 'aria-describedby="id_password1-hint id_password1-error"' in html
    # What was typed is kept, except the passwords.
    assert 'value="ada@brumtech.example"' in html
    assert not User.objects.filter(email="ada@brumtech.example").exists()
    assert not mail.outbox


@pytest.mark.django_db
def test_sign_up_pages_state_the_password_rules(client):
    html = client.get(reverse("account_signup")).content.decode()

    assert (
        "Use at least 12 characters. Do not use a common password, only numbers, or something like your email address."
        in html
    )
    assert '<label class="govuk-label" for="id_password2">Confirm password</label>' in html


@pytest.mark.django_db
def test_signing_up_again_with_a_taken_address_reveals_nothing_but_emails_the_owner(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="ada@brumtech.example", verified=True)

    response = sign_up(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert User.objects.filter(email="ada@brumtech.example").count() == 1
    assert mail.outbox[0].subject == "You already have an account on Urban Challenge"


@pytest.mark.django_db
def test_a_verified_user_signs_in_with_email_and_password(client):
    UserFactory(email="ada@brumtech.example", verified=True)

    response = client.post(reverse("account_login"), {"login": "Ada@BrumTech.example", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == "/"
    assert signed_in(client)


@pytest.mark.django_db
def test_a_wrong_password_is_refused_and_the_error_summary_links_to_the_first_field(client):
    UserFactory(email="ada@brumtech.example", verified=True)

    response = client.post(reverse("account_login"), {"login": "ada@brumtech.example", "password": "not-my-password"})

    html = response.content.decode()
    assert response.status_code == 200
    assert title(response) == "Error: Sign in"
    message = "Your email address or password is not correct. Check them and try again."
    assert f'<li><a href="#id_login">{message}</a></li>' in html
    assert '<p id="id_login-error" class="govuk-error-message">' in html
    assert 'value="ada@brumtech.example"' in html
    assert not signed_in(client)


@pytest.mark.django_db
def test_an_empty_form_says_what_to_enter_in_each_field(client):
    response = client.post(reverse("account_login"), {"login": "", "password": ""})

    html = response.content.decode()
    assert '<li><a href="#id_login">Enter your email address</a></li>' in html
    assert '<li><a href="#id_password">Enter your password</a></li>' in html
    assert "This field is required." not in html


@pytest.mark.django_db
def test_an_unverified_user_gets_a_code_instead_of_a_session(client, django_capture_on_commit_callbacks):
    UserFactory(email="ada@brumtech.example")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_login"), {"login": "ada@brumtech.example", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert not signed_in(client)
    assert code_from(mail.outbox[0])


@pytest.mark.django_db
def test_repeated_failed_sign_ins_are_limited_even_when_the_password_is_then_right(client):
    UserFactory(email="ada@brumtech.example", verified=True)
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": "ada@brumtech.example", "password": "guess"})
        assert "Your email address or password is not correct." in response.content.decode()

    response = client.post(reverse("account_login"), {"login": "ada@brumtech.example", "password": PASSWORD})

    assert response.status_code == 200
    assert "You have tried to sign in too many times. Wait 5 minutes, then try again." in response.content.decode()
    assert not signed_in(client)


@pytest.mark.django_db
def test_password_reset_emails_a_link_that_sets_a_new_password(client, django_capture_on_commit_callbacks):
    UserFactory(email="ada@brumtech.example", verified=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "ada@brumtech.example"})

    assert response.url == reverse("account_reset_password_done")
    assert title(client.get(response.url)) == "Check your email"
    assert mail.outbox[0].subject == "Reset your Urban Challenge password"
    link = re.search(r"http://testserver(/account/password/reset/key/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert title(form_page) == "Choose a new password"
    client.post(form_page.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert client.login(username="ada@brumtech.example", password=NEW_PASSWORD)


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_looks_the_same(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    assert response.url == reverse("account_reset_password_done")
    assert mail.outbox[0].subject == "No Urban Challenge account uses this email address"


@pytest.mark.django_db
def test_changing_the_password_keeps_the_person_signed_in(client, django_capture_on_commit_callbacks):
    user = UserFactory(verified=True)
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_change_password"),
            {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
            follow=True,
        )

    assert signed_in(client)
    assert "Your password has been changed." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # A security notice goes to the account's address.
    assert mail.outbox[0].to == [user.email]


@pytest.mark.django_db
def test_a_wrong_current_password_is_refused(client):
    client.force_login(UserFactory(verified=True))

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "nope", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert title(response) == "Error: Change your password"
    assert '<a href="#id_oldpassword">Your current password is not correct.</a>' in response.content.decode()


@pytest.mark.django_db
def test_signing_out_returns_to_the_sign_in_page_with_a_confirmation(client):
    client.force_login(UserFactory(verified=True))

    response = client.post(reverse("account_logout"), follow=True)

    assert not signed_in(client)
    assert response.redirect_chain[-1][0] == reverse("account_login")
    assert "You have signed out." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("account_email", "Email addresses"),
        ("account_change_password", "Change your password"),
        ("account_logout", "Sign out"),
        ("mfa_index", "Two-factor authentication"),
    ],
)
def test_account_pages_use_the_site_layout_and_link_to_each_other(client, url_name, heading):
    client.force_login(UserFactory(verified=True))

    response = client.get(reverse(url_name))

    html = response.content.decode()
    assert response.status_code == 200
    assert title(response) == f"{heading}"
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in html
    assert 'class="govuk-skip-link"' in html
    assert '<nav class="govuk-!-margin-bottom-6" aria-label="Your account">' in html
    assert f'href="{reverse(url_name)}" aria-current="page"' in html


@pytest.mark.django_db
def test_the_email_page_lists_addresses_and_adds_one_with_a_code(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="ada@brumtech.example", verified=True)
    client.force_login(user)
    html = client.get(reverse("account_email")).content.decode()
    assert "ada@brumtech.example" in html
    assert '<strong class="govuk-tag govuk-tag--green">Confirmed</strong>' in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_email"), {"action_add": "", "email": "ada@elsewhere.example"})

    assert response.status_code == 302
    assert mail.outbox[0].to == ["ada@elsewhere.example"]
    client.post(reverse("account_email_verification_sent"), {"code": code_from(mail.outbox[0])})
    assert EmailAddress.objects.get(email="ada@elsewhere.example").verified


@pytest.mark.django_db
def test_the_admin_sign_in_pages_hand_over_to_allauth_keeping_next(client):
    wagtail = client.get("/admin/login/", {"next": "/admin/pages/"})
    django = client.get("/django-admin/login/", {"next": "/django-admin/"})
    outside = client.get("/admin/login/", {"next": "https://evil.example/"})

    frontend = client.get("/_util/login/", {"next": "/challenges/"})

    assert wagtail.url == "/account/login/?next=%2Fadmin%2Fpages%2F"
    assert django.url == "/account/login/?next=%2Fdjango-admin%2F"
    assert frontend.url == "/account/login/?next=%2Fchallenges%2F"
    assert outside.url == "/account/login/"


@pytest.mark.django_db
def test_both_admins_send_anonymous_visitors_to_allauths_sign_in(client):
    wagtail = client.get("/admin/", follow=True)
    django = client.get("/django-admin/", follow=True)

    assert wagtail.redirect_chain[-1][0] == "/account/login/?next=/admin/"
    assert django.redirect_chain[-1][0] == "/account/login/?next=%2Fdjango-admin%2F"
    assert title(wagtail) == "Sign in"


@pytest.mark.django_db
@pytest.mark.parametrize("login_url", ["/admin/login/", "/django-admin/login/", "/_util/login/"])
def test_posting_a_password_to_an_admin_login_page_signs_nobody_in(client, login_url):
    UserFactory(email="boss@example.org", is_staff=True, is_superuser=True, verified=True, two_factor=True)

    for data in (
        {"username": "boss@example.org", "password": PASSWORD},
        {"login": "boss@example.org", "password": PASSWORD},
    ):
        response = client.post(login_url, data)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))

    assert not signed_in(client)


@pytest.mark.django_db
def test_the_wagtail_password_reset_is_allauths(client):
    assert client.get("/admin/password_reset/").url == reverse("account_reset_password")


@pytest.mark.django_db
def test_a_supplier_sent_to_the_admin_sees_why_instead_of_a_redirect_loop(client):
    client.force_login(UserFactory(email="ada@brumtech.example", verified=True))

    response = client.get("/admin/", follow=True)

    assert len(response.redirect_chain) == 1
    html = response.content.decode()
    assert "You do not have permission to access the admin." in html
    assert "You are signed in as" in html


@pytest.mark.django_db
def test_allauth_emails_go_through_notify(client, django_capture_on_commit_callbacks):
    UserFactory(email="ada@brumtech.example", verified=True)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("account_reset_password"), {"email": "ada@brumtech.example"})

    notification = Notification.objects.get()
    assert notification.template == "account/email/password_reset_key"
    assert notification.to_email == "ada@brumtech.example"
    assert notification.status == Notification.Status.PENDING
    assert "/account/password/reset/key/" in notification.body_text
    assert not mail.outbox  # sent only once the transaction commits
    assert len(callbacks) == 1
