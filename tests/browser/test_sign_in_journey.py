"""Signing up, confirming the email address and signing in, in a real browser, by mouse and by keyboard alone.

The live server runs in a thread of this process: with Celery eager and real commits, the email is sent
during the request and lands in ``django.core.mail.outbox`` for the test to read.
"""

import re

import pytest
from django.core import mail
from django.core.cache import cache

from accounts.models import User
from tests.factories.accounts import PASSWORD, UserFactory, totp_code_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("built_assets"),
]

NEW_PASSWORD = "a-long-and-unusual-passphrase"


@pytest.fixture(autouse=True)
def fresh_cache():
    """allauth's rate limits and used two-factor codes live in the cache, shared with the live server."""
    cache.clear()
    yield
    cache.clear()


def visit(page, live_server, path: str):
    response = page.goto(live_server.url + path)
    page.wait_for_load_state("networkidle")
    return response


def page_title(page) -> str:
    """The tab's title without the site's name, which every title ends with."""
    suffix = " \N{EN DASH} Urban Challenge"
    text = page.title()
    assert text.endswith(suffix), text
    return text.removesuffix(suffix)


def focused(page) -> str:
    """A short description of the element that has focus: its id, or its tag and text."""
    return page.evaluate(
        "() => { const e = document.activeElement; return e.id || (e.tagName + ':' + e.textContent.trim()); }"
    )


def tab_to(page, element_id: str, limit: int = 40) -> None:
    """Press Tab until the element with this id has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page) == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def test_a_supplier_signs_up_confirms_their_email_and_is_signed_in(page, live_server, demo_site, axe):
    visit(page, live_server, "/account/signup/")
    assert page_title(page) == "Create an account"

    page.get_by_label("Email address").fill("ada@brumtech.example")
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_load_state("networkidle")

    assert page.locator("h1").inner_text() == "Check your email"
    assert "ada@brumtech.example" in page.locator("main").inner_text()
    axe.audit(page, "sign-up-check-your-email")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ada@brumtech.example"]
    code = re.search(r"^\s*(\d{6})\s*$", mail.outbox[0].body, re.M).group(1)

    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state("networkidle")

    # Signed in, and sent on to set up the organisation their proposals will come from.
    assert page.url == live_server.url + "/organisations/new/"
    assert User.objects.get(email="ada@brumtech.example").emailaddress_set.get().verified
    visit(page, live_server, "/account/email/")
    assert page.locator("h1").inner_text() == "Email addresses"
    assert "ada@brumtech.example" in page.locator("main").inner_text()
    axe.audit(page, "account-email-addresses")


def test_a_mistake_in_the_code_is_explained_and_the_summary_takes_focus(page, live_server, demo_site, axe):
    visit(page, live_server, "/account/signup/")
    page.get_by_label("Email address").fill("ada@brumtech.example")
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_load_state("networkidle")

    page.get_by_label("Code").fill("12")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state("networkidle")

    assert page_title(page) == "Error: Check your email"
    # GOV.UK Frontend moves focus to the error summary, whose link moves focus to the field.
    page.wait_for_function("() => document.activeElement.classList.contains('govuk-error-summary')")
    axe.audit(page, "sign-up-code-error")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'id_code'")


def test_the_sign_in_form_can_be_completed_with_the_keyboard_alone(page, live_server, demo_site, screenshot):
    UserFactory(email="ada@brumtech.example", verified=True)
    visit(page, live_server, "/account/login/")

    tab_to(page, "id_login")
    page.keyboard.type("ada@brumtech.example")
    page.keyboard.press("Tab")
    assert focused(page) == "id_password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    assert focused(page) == "BUTTON:Show"  # GOV.UK's show-password button comes next
    page.keyboard.press("Tab")
    assert focused(page) == "id_remember"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert focused(page) == "BUTTON:Sign in"
    screenshot(page, "sign-in-keyboard")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")

    assert page.url == live_server.url + "/"
    session_cookie = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    assert session_cookie["expires"] > 0  # "Keep me signed in" was ticked with the space bar


def test_an_empty_sign_in_form_is_explained_and_each_error_leads_to_its_field(page, live_server, demo_site, axe):
    visit(page, live_server, "/account/login/")

    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")

    assert page_title(page) == "Error: Sign in"
    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_role("link", name="Enter your email address").is_visible()
    assert summary.get_by_role("link", name="Enter your password").is_visible()
    axe.audit(page, "sign-in-errors")
    summary.get_by_role("link", name="Enter your password").click()
    page.wait_for_function("() => document.activeElement.id === 'id_password'")


def test_staff_sign_in_with_a_code_from_their_app(page, live_server, demo_site, axe):
    boss = UserFactory(email="boss@example.org", is_staff=True, is_superuser=True, verified=True, two_factor=True)
    visit(page, live_server, "/admin/")
    assert page.url.startswith(live_server.url + "/account/login/")

    page.get_by_label("Email address").fill("boss@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")

    assert page.locator("h1").inner_text() == "Enter your two-factor code"
    axe.audit(page, "two-factor-code")
    page.get_by_label("Code").fill(totp_code_for(boss))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state("networkidle")

    assert page.url == live_server.url + "/admin/"
