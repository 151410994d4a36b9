"""Two-factor sign-in: open to everyone, required for staff and judges before the admin or the judging pages."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from accounts.two_factor import JUDGES_GROUP_NAME, has_two_factor, two_factor_required
from challenges.services import sponsor_grant_manager_access
from tests.factories.accounts import PASSWORD, UserFactory, confirm_it_is_you, sign_in, totp_code_for

SETUP_MESSAGE = "You need to set up two-factor authentication before you can use the admin."


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate limits and used TOTP codes live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def judge(db):
    user = UserFactory(verified=True)
    user.groups.add(Group.objects.get_or_create(name=JUDGES_GROUP_NAME)[0])
    return user


@pytest.fixture
def new_manager(sponsor_index, sponsor):
    """A challenge manager who has not set up two-factor yet: admin access through their sponsor's group, without
    is_staff."""
    user = UserFactory(verified=True)
    user.groups.add(sponsor_grant_manager_access(sponsor=sponsor))
    return user


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


SITE_SUFFIX = " \N{EN DASH} Urban Challenge"


def title(response) -> str:
    """The page's title without the site's name, which every title ends with."""
    text = " ".join(re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).split())
    assert text.endswith(SITE_SUFFIX), text
    return text.removesuffix(SITE_SUFFIX)


def previous_code(user) -> str:
    """The code of the previous 30-second step, still accepted, for a second sign-in within one step."""
    return totp_code_for(user, at=time.time() - 30)


@pytest.mark.django_db
def test_who_must_use_two_factor(judge, new_manager):
    assert two_factor_required(UserFactory(is_superuser=True))
    assert two_factor_required(UserFactory(is_staff=True))
    assert two_factor_required(new_manager)
    assert not new_manager.is_staff
    assert two_factor_required(judge)
    assert not two_factor_required(UserFactory())
    assert not two_factor_required(UserFactory(is_staff=True, is_active=False))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/pages/", "/admin/login/anything/", "/django-admin/", "/judging/", "/judging/42/"]
)
def test_staff_without_an_authenticator_are_sent_to_set_one_up(client, path):
    sign_in(client, UserFactory(is_staff=True, is_superuser=True, verified=True))

    response = client.get(path)

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    # allauth first asks for the password again, as before any change to two-factor settings.
    page = client.get(response.url, follow=True)
    assert title(page) == "Confirm it is you"
    area = "the judging pages" if path.startswith("/judging/") else "the admin"
    assert f"You need to set up two-factor authentication before you can use {area}." in page.content.decode()
    confirm_it_is_you(client)
    page = client.get(response.url)
    assert title(page) == "Set up two-factor authentication"


@pytest.mark.django_db
def test_staff_with_an_authenticator_reach_the_admin(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True, two_factor=True))

    assert client.get("/admin/").status_code == 200
    assert client.get("/django-admin/").status_code == 200


@pytest.mark.django_db
def test_a_challenge_manager_without_is_staff_needs_it_too(client, new_manager):
    client.force_login(new_manager)
    assert client.get("/admin/").url == reverse("mfa_activate_totp")

    Authenticator.objects.create(user=new_manager, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})

    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_judge_needs_it_for_the_judging_pages(client, judge):
    client.force_login(judge)

    assert client.get("/judging/").url == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_other_people_are_not_stopped_and_the_account_pages_stay_open(client):
    client.force_login(UserFactory(verified=True))
    assert client.get("/judging/").status_code == 403  # not redirected to set-up; judging decides who may see it

    sign_in(client, UserFactory(is_staff=True, verified=True))
    confirm_it_is_you(client)
    for url_name in ("mfa_index", "mfa_activate_totp", "account_email", "account_change_password", "account_logout"):
        assert client.get(reverse(url_name)).status_code == 200, url_name


@pytest.mark.django_db
@pytest.mark.parametrize("logout_url", ["/admin/logout/", "/django-admin/logout/"])
def test_the_admins_own_sign_out_works_without_an_authenticator(client, logout_url):
    client.force_login(UserFactory(is_staff=True, is_superuser=True, verified=True))

    response = client.post(logout_url)

    assert response.status_code in (200, 302)
    assert not signed_in(client)


@pytest.mark.django_db
def test_the_wagtail_admins_sign_out_returns_to_allauths_sign_in(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True, two_factor=True))

    response = client.post("/admin/logout/")

    assert response.url == reverse("account_login")
    assert not signed_in(client)


@pytest.mark.django_db
def test_sign_in_stops_at_the_code_until_the_right_one_is_given(client):
    user = UserFactory(email="boss@example.org", is_staff=True, is_superuser=True, verified=True, two_factor=True)
    login = reverse("account_login") + "?next=/admin/"

    response = client.post(login, {"login": "boss@example.org", "password": PASSWORD})

    assert response.url == reverse("mfa_authenticate")
    assert not signed_in(client)
    assert client.get("/admin/").status_code == 302
    page = client.get(response.url)
    assert title(page) == "Enter your two-factor code"

    wrong = client.post(response.url, {"code": "000000" if totp_code_for(user) != "000000" else "111111"})
    assert title(wrong) == "Error: Enter your two-factor code"
    assert '<a href="#id_code">The code is not correct. Check your authenticator app and try again.</a>' in (
        wrong.content.decode()
    )
    assert not signed_in(client)

    right = client.post(response.url, {"code": totp_code_for(user)})

    assert right.url == "/admin/"
    assert signed_in(client)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_used_code_cannot_be_replayed(client):
    user = UserFactory(email="boss@example.org", is_staff=True, verified=True, two_factor=True)
    code = totp_code_for(user)
    client.post(reverse("account_login"), {"login": "boss@example.org", "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert signed_in(client)
    client.logout()

    client.post(reverse("account_login"), {"login": "boss@example.org", "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": code})

    assert response.status_code == 200
    assert not signed_in(client)


@pytest.mark.django_db
def test_a_recovery_code_signs_in_when_the_app_is_lost(client):
    user = UserFactory(email="boss@example.org", is_staff=True, verified=True)
    sign_in(client, user)
    confirm_it_is_you(client)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    client.post(reverse("mfa_activate_totp"), {"code": format_hotp_value(hotp_value(secret, int(time.time()) // 30))})
    codes = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES).wrap().get_unused_codes()
    client.logout()

    client.post(reverse("account_login"), {"login": "boss@example.org", "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": codes[0]})

    assert signed_in(client)


# Transactional, as in production: allauth confirms and emails from on-commit callbacks inside the request.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_setting_up_shows_the_qr_code_and_the_key_and_leads_back_to_the_admin(client):
    user = UserFactory(email="boss@example.org", is_staff=True, is_superuser=True, verified=True)
    sign_in(client, user)
    client.get("/admin/pages/")
    confirm_it_is_you(client)

    page = client.get(reverse("mfa_activate_totp"))

    html = page.content.decode()
    secret = client.session["mfa.totp.secret"]
    assert '<img src="data:image/svg+xml;base64,' in html
    assert 'alt="QR code for your authenticator app.' in html
    assert f'<p class="govuk-body govuk-!-font-size-24 govuk-!-font-weight-bold" id="totp-secret">{secret}</p>' in html
    assert '<label class="govuk-label" for="id_code">Code from your authenticator app</label>' in html
    assert 'inputmode="numeric"' in html
    assert 'autocomplete="one-time-code"' in html

    wrong = client.post(reverse("mfa_activate_totp"), {"code": "12345"})
    assert title(wrong) == "Error: Set up two-factor authentication"
    assert secret in wrong.content.decode()  # the same key: the app the person set up still works
    assert not has_two_factor(user)

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    activated = client.post(reverse("mfa_activate_totp"), {"code": code})
    response = client.get(activated.url)

    assert has_two_factor(user)
    assert activated.url == reverse("mfa_view_recovery_codes")
    html = response.content.decode()
    assert "Two-factor authentication is on." in html
    assert title(response) == "Your recovery codes"
    codes = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES).wrap().get_unused_codes()
    assert all(code in html for code in codes)
    assert 'href="/admin/pages/"' in html  # "Continue" returns to where set-up interrupted
    assert client.get("/admin/pages/").status_code == 200
    assert mail.outbox[-1].subject == "Two-factor authentication is on for your Urban Challenge account"


@pytest.mark.django_db
def test_the_qr_code_names_the_site_and_the_account(client):
    sign_in(client, UserFactory(email="boss@example.org", verified=True))
    confirm_it_is_you(client)

    response = client.get(reverse("mfa_activate_totp"))

    assert response.context["totp_url"].startswith("otpauth://totp/boss%40example.org?secret=")
    assert "issuer=Urban%20Challenge" in response.context["totp_url"]


@pytest.mark.django_db
def test_an_unconfirmed_address_must_be_confirmed_first(client):
    user = UserFactory(email="new@example.org")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    client.force_login(user)  # allauth would not let this person sign in; an admin could have added them

    response = client.get(reverse("mfa_activate_totp"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("mfa_index")
    assert (
        "You need to confirm your email address before you can set up two-factor authentication."
        in response.content.decode()
    )


@pytest.mark.django_db
def test_staff_cannot_turn_two_factor_off_but_suppliers_can(client):
    boss = UserFactory(is_staff=True, verified=True, two_factor=True)
    sign_in(client, boss)
    confirm_it_is_you(client)

    index = client.get(reverse("mfa_index")).content.decode()
    assert "two-factor authentication must stay on" in index
    assert reverse("mfa_deactivate_totp") not in index
    page = client.get(reverse("mfa_deactivate_totp"))
    assert "You cannot turn off two-factor authentication because your account can use the admin" in (
        page.content.decode()
    )
    client.post(reverse("mfa_deactivate_totp"))
    assert has_two_factor(boss)

    supplier = UserFactory(verified=True, two_factor=True)
    client.logout()
    sign_in(client, supplier)
    confirm_it_is_you(client)
    client.post(reverse("mfa_deactivate_totp"))
    assert not has_two_factor(supplier)


@pytest.mark.django_db
def test_anyone_may_turn_it_on_and_it_then_guards_their_sign_in(client):
    supplier = UserFactory(email="ada@brumtech.example", verified=True, two_factor=True)

    response = client.post(reverse("account_login"), {"login": "ada@brumtech.example", "password": PASSWORD})

    assert response.url == reverse("mfa_authenticate")
    assert not signed_in(client)
    client.post(reverse("mfa_authenticate"), {"code": previous_code(supplier)})
    assert signed_in(client)


@pytest.mark.django_db
def test_the_password_is_asked_again_and_only_for_a_few_minutes(client):
    user = UserFactory(email="boss@example.org", is_staff=True, verified=True)
    sign_in(client, user)

    response = client.get("/admin/", follow=True)

    assert title(response) == "Confirm it is you"
    wrong = client.post(response.redirect_chain[-1][0], {"password": "not-it"})
    assert title(wrong) == "Error: Confirm it is you"
    confirmed = client.post(response.redirect_chain[-1][0], {"password": PASSWORD})
    assert confirmed.url == reverse("mfa_activate_totp")
    assert client.get(confirmed.url).status_code == 200

    session = client.session
    session["account_authentication_methods"] = [
        {**record, "at": record["at"] - 600} for record in session["account_authentication_methods"]
    ]
    session.save()
    assert client.get(reverse("mfa_activate_totp")).url.startswith(reverse("account_reauthenticate"))
