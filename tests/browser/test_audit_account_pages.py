"""The account and two-factor pages, in each state a person meets them in, audited by axe-core for WCAG 2.2 A/AA and
for anything the Content-Security-Policy blocked.
Each test checks it reached every URL name ``url_names.AUDITS`` lists for it (test_page_audit.py)."""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.urls import reverse

from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD, totp_code_for
from tests.factories.judging import make_judge

from .helpers import AUDIT_MARKS, click, go, heading, sign_in_as
from .url_names import AUDITS

pytestmark = AUDIT_MARKS


def test_account_pages(page, live_server, demo_site, audit, axe):
    audit.visit("/account/login/", "sign-in")
    audit.errors(page.get_by_role("button", name="Sign in"), "sign-in-errors")
    audit.visit("/account/signup/", "sign-up")
    click(page, page.get_by_role("button", name="Create account"))
    audit("sign-up-errors")
    page.get_by_label("Email address").fill("ada@brumtech.example")
    page.get_by_label("Password", exact=True).fill("a-long-and-unusual-passphrase")
    page.get_by_label("Confirm password").fill("a-long-and-unusual-passphrase")
    click(page, page.get_by_role("button", name="Create account"))
    assert heading(page) == "Check your email"
    audit("verify-email")
    page.get_by_label("Code").fill("000000")
    audit.errors(page.get_by_role("button", name="Continue"), "verify-email-error")

    audit.visit("/account/password/reset/", "password-reset")
    click(page, page.get_by_role("button", name="Send the link"))
    audit("password-reset-errors")
    page.get_by_label("Email address").fill("nobody@example.org")
    click(page, page.get_by_role("button", name="Send the link"))
    audit("password-reset-sent")

    user = UserFactory(email="grace@brumtech.example", verified=True)
    key_url = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    audit.visit(key_url, "password-reset-new-password")
    page.get_by_label("New password", exact=True).fill("x")
    audit.errors(page.get_by_role("button").filter(has_text="password").first, "password-reset-new-password-errors")
    page.get_by_label("New password", exact=True).fill("another-long-passphrase")
    page.get_by_label("Confirm new password").fill("another-long-passphrase")
    click(page, page.get_by_role("button").filter(has_text="password").first)
    audit("password-reset-done")
    audit.visit("/account/password/reset/key/bad-key/", "password-reset-bad-link")

    inactive = UserFactory(email="gone@brumtech.example", verified=True, is_active=False)
    assert not inactive.is_active
    audit.visit("/account/inactive/", "account-inactive")

    user.refresh_from_db()  # the new password, which the session is bound to
    sign_in_as(page, live_server, user)
    audit.visit("/account/email/", "email-addresses")
    audit.visit("/account/password/change/", "password-change")
    audit.errors(page.get_by_role("button").filter(has_text="password").first, "password-change-errors")
    audit.visit("/account/reauthenticate/", "reauthenticate")
    audit.visit("/account/logout/", "sign-out")

    no_password = UserFactory(email="sso@brumtech.example", verified=True)
    no_password.set_unusable_password()
    no_password.save()
    sign_in_as(page, live_server, no_password)
    audit.visit("/account/password/set/", "password-set")
    audit.reached_all(AUDITS["account_pages"])


def test_two_factor_pages(page, live_server, demo_site, audit, axe):
    judge = make_judge(email="judge@panel.example")
    go(page, live_server, "/account/login/")
    page.get_by_label("Email address").fill("judge@panel.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    click(page, page.get_by_role("button", name="Sign in"))
    assert heading(page) == "Enter your two-factor code"
    audit("two-factor-code")
    page.get_by_label("Code").fill("000000")
    audit.errors(page.get_by_role("button", name="Continue"), "two-factor-code-error")
    page.get_by_label("Code").fill(totp_code_for(judge))
    click(page, page.get_by_role("button", name="Continue"))

    audit.visit("/account/2fa/", "two-factor-settings")
    audit.visit("/account/2fa/recovery-codes/", "recovery-codes")
    # Turning two-factor off or replacing the codes asks for the password again first.
    go(page, live_server, "/account/2fa/totp/deactivate/")
    assert heading(page) == "Confirm it is you"
    audit("two-factor-turn-off-confirm-it-is-you")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    click(page, page.get_by_role("button", name="Continue"))
    assert "/account/2fa/totp/deactivate/" in page.url
    audit("two-factor-turn-off")
    go(page, live_server, "/account/2fa/recovery-codes/generate/")
    assert "/account/2fa/recovery-codes/generate/" in page.url
    audit("recovery-codes-generate")
    audit.visit("/account/2fa/reauthenticate/", "two-factor-reauthenticate")

    newcomer = UserFactory(email="new@panel.example", verified=True)
    sign_in_as(page, live_server, newcomer)
    go(page, live_server, "/account/2fa/totp/activate/")
    if "/reauthenticate/" in page.url:
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        click(page, page.get_by_role("button", name="Continue"))
    assert heading(page) == "Set up two-factor authentication"
    audit("two-factor-set-up")
    audit.errors(page.get_by_role("button", name="Turn on two-factor authentication"), "two-factor-set-up-errors")
    audit.reached_all(AUDITS["two_factor_pages"])
