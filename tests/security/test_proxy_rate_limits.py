"""Behind the TLS proxy the README deploys, rate limits count per client and per account, never per proxy.

Every request here arrives from the proxy's address (REMOTE_ADDR) with the client's own address in
X-Forwarded-For, as nginx's ``proxy_add_x_forwarded_for`` sends it, under the production settings module loaded
with the README recipe's environment.
"""

import importlib

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories.accounts import PASSWORD, UserFactory

from .checks import deploy_check

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.2"
TOO_MANY = "You have tried to sign in too many times"
PROXY_SETTINGS = ("ALLAUTH_TRUSTED_PROXY_COUNT", "ALLAUTH_TRUSTED_CLIENT_IP_HEADER", "SECURE_PROXY_SSL_HEADER",
                  "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE")  # fmt: skip


@pytest.fixture
def production(monkeypatch):
    """The production settings as the README's recipe configures them (one proxy in front of gunicorn)."""
    monkeypatch.setenv("DJANGO_SECRET_KEY", "test-" + "s" * 60)
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", "1")
    importlib.reload(importlib.import_module("config.settings.base"))
    module = importlib.reload(importlib.import_module("config.settings.production"))
    values = {name: getattr(module, name, None) for name in PROXY_SETTINGS}
    with override_settings(**values):
        yield module
    monkeypatch.delenv("TRUSTED_PROXY_COUNT")
    importlib.reload(importlib.import_module("config.settings.base"))


def through_proxy(client_address: str) -> Client:
    """A browser at ``client_address``, reaching the site over HTTPS through the proxy."""
    return Client(
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_address,
        HTTP_X_FORWARDED_PROTO="https",
        secure=True,
    )


def sign_in(browser: Client, email: str, password: str):
    return browser.post(reverse("account_login"), {"login": email, "password": password}, secure=True)


def signed_in(browser: Client) -> bool:
    return SESSION_KEY in browser.session


def test_one_clients_failed_sign_ins_never_lock_out_another_client(production):
    ada = UserFactory(verified=True, email="ada@brumtech.example")
    sam = UserFactory(verified=True, email="sam@kindredfutures.example")
    attacker = through_proxy("203.0.113.5")
    for n in range(12):
        sign_in(attacker, f"nobody{n}@example.com", "wrong-password-1234")
    refused = sign_in(attacker, sam.email, PASSWORD)
    assert TOO_MANY in refused.content.decode() and not signed_in(attacker)

    someone_else = through_proxy("198.51.100.7")
    response = sign_in(someone_else, ada.email, PASSWORD)
    assert response.status_code == 302
    assert signed_in(someone_else)


def test_a_busy_morning_of_successful_sign_ins_is_never_refused(production):
    users = [UserFactory(verified=True, email=f"supplier{n}@example.com") for n in range(35)]
    for n, user in enumerate(users):
        browser = through_proxy(f"198.51.100.{n + 1}")
        response = sign_in(browser, user.email, PASSWORD)
        assert response.status_code == 302, (n, response.status_code)


def test_failed_sign_ins_for_one_account_are_limited_from_every_address(production):
    """The per-account limit still holds when each guess comes from a different client."""
    ada = UserFactory(verified=True, email="ada@brumtech.example")
    for n in range(5):
        sign_in(through_proxy(f"203.0.113.{n + 1}"), ada.email, "wrong-password-1234")
    browser = through_proxy("203.0.113.99")
    response = sign_in(browser, ada.email, PASSWORD)
    assert TOO_MANY in response.content.decode() and not signed_in(browser)


def test_a_deployment_that_trusts_no_proxy_is_warned():
    result = deploy_check("--tag", "security")
    assert "accounts.W001" in result.stdout + result.stderr
    assert "TRUSTED_PROXY_COUNT" in result.stdout + result.stderr
