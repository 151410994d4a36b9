"""WCAG 2.2 AA audits of the public pages, the sign-in pages and the two-factor set-up, in a real browser.

Each audited page is saved as a full-page screenshot in test-artifacts/screenshots/.
"""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache
from django.test import RequestFactory
from django.views.defaults import server_error

from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    # The live server runs in another thread, so the test's rows must be committed to be seen there.
    # Serialized rollback puts back what the data migrations created (home page, themes) after each flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # Pages without static_build/ would be unstyled, and their audit meaningless.
    pytest.mark.usefixtures("built_assets"),
]


@pytest.fixture(autouse=True)
def fresh_cache():
    """allauth's rate limits live in the cache, which the live server shares with the tests."""
    cache.clear()
    yield
    cache.clear()


def visit(page, live_server, path: str):
    """Open the live server's page at ``path`` and wait until its scripts and styles have loaded."""
    response = page.goto(live_server.url + path)
    assert response is not None
    page.wait_for_load_state("networkidle")
    return response


def page_title(page) -> str:
    """The tab's title without the site's name, which every title ends with."""
    suffix = " \N{EN DASH} Urban Challenge"
    text = page.title()
    assert text.endswith(suffix), text
    return text.removesuffix(suffix)


def test_home_page(page, live_server, demo_site, axe):
    response = visit(page, live_server, demo_site.home.url)

    assert response.status == 200
    assert page.locator("h1").first.inner_text() == demo_site.home.title
    axe.audit(page, "home")


def test_home_page_on_a_small_screen(page, live_server, demo_site, axe):
    page.set_viewport_size({"width": 360, "height": 740})
    visit(page, live_server, demo_site.home.url)
    menu = page.get_by_role("button", name="Menu")
    home_link = page.locator(".govuk-service-navigation__list").get_by_role("link", name="Home")

    # GOV.UK Frontend's JavaScript collapses the navigation behind a Menu button on small screens.
    assert menu.is_visible()
    assert not home_link.is_visible()
    axe.audit(page, "home-small-screen")

    menu.click()

    assert menu.get_attribute("aria-expanded") == "true"
    assert home_link.is_visible()
    axe.audit(page, "home-small-screen-menu-open")


def test_challenge_listing(page, live_server, demo_site, axe):
    response = visit(page, live_server, demo_site.listing.url)

    assert response.status == 200
    assert page.get_by_role("link", name=demo_site.challenge.title).is_visible()
    current = page.locator(".govuk-service-navigation a[aria-current='page']")
    assert current.inner_text() == "Challenges"
    axe.audit(page, "challenge-listing")


def test_challenge_page(page, live_server, demo_site, axe):
    response = visit(page, live_server, demo_site.challenge.url)

    assert response.status == 200
    assert page.locator("h1").inner_text() == demo_site.challenge.title
    axe.audit(page, "challenge")


def test_admin_login(page, live_server, axe):
    response = visit(page, live_server, "/admin/login/?next=/admin/")

    # The admin's sign-in hands over to the site's own (allauth), so two-factor cannot be skipped.
    assert response.status == 200
    assert page.url == live_server.url + "/account/login/?next=%2Fadmin%2F"
    assert page_title(page) == "Sign in"
    assert page.locator("h1").inner_text() == "Sign in"
    assert page.locator("form .govuk-form-group input.govuk-input").count() == 2
    assert page.get_by_role("button", name="Sign in").get_attribute("class") == "govuk-button"
    axe.audit(page, "admin-login")


def test_sign_up(page, live_server, axe):
    visit(page, live_server, "/account/signup/")

    assert page.locator("h1").inner_text() == "Create an account"
    axe.audit(page, "sign-up")

    page.get_by_label("Email address").fill("not an email")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_load_state("networkidle")

    assert page_title(page) == "Error: Create an account"
    assert page.locator(".govuk-error-summary").is_visible()
    axe.audit(page, "sign-up-errors")


def test_password_reset(page, live_server, axe):
    visit(page, live_server, "/account/password/reset/")

    assert page.locator("h1").inner_text() == "Reset your password"
    axe.audit(page, "password-reset")

    page.get_by_label("Email address").fill("nobody@example.org")
    page.get_by_role("button", name="Send the link").click()
    page.wait_for_load_state("networkidle")

    assert page.locator("h1").inner_text() == "Check your email"
    axe.audit(page, "password-reset-sent")


def test_two_factor_set_up(page, live_server, demo_site, axe):
    UserFactory(email="boss@example.org", is_staff=True, is_superuser=True, verified=True)
    visit(page, live_server, "/admin/")
    page.get_by_label("Email address").fill("boss@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")

    # Staff without an authenticator app are sent to set one up; allauth first asks for the password again.
    assert page.locator("h1").inner_text() == "Confirm it is you"
    assert "before you can use the admin" in page.locator(".govuk-notification-banner").inner_text()
    axe.audit(page, "confirm-it-is-you")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state("networkidle")

    assert page.locator("h1").inner_text() == "Set up two-factor authentication"
    assert page.get_by_role("img", name="QR code for your authenticator app").is_visible()
    secret = page.locator("#totp-secret").inner_text()
    axe.audit(page, "two-factor-set-up")

    page.get_by_label("Code from your authenticator app").fill(
        format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    )
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    page.wait_for_load_state("networkidle")

    assert page.locator("h1").inner_text() == "Your recovery codes"
    assert page.locator("#recovery_codes li").count() == 10
    axe.audit(page, "recovery-codes")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state("networkidle")
    assert page.url == live_server.url + "/admin/"

    visit(page, live_server, "/account/2fa/")
    assert page.locator("h1").inner_text() == "Two-factor authentication"
    axe.audit(page, "two-factor-settings")


def test_page_not_found(page, live_server, demo_site, axe):
    response = visit(page, live_server, "/no-such-page/")

    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    axe.audit(page, "not-found")


def test_server_error_page(page, live_server, axe, django_assert_num_queries):
    # Django renders 500.html with no request, no context processors and so no database: prove it, then
    # serve that response from a route on the live server so the page loads the real stylesheet.
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    page.route(
        live_server.url + "/server-error/",
        lambda route: route.fulfill(status=500, content_type="text/html; charset=utf-8", body=response.content),
    )

    visit(page, live_server, "/server-error/")

    assert page.locator("h1").inner_text() == "Sorry, there is a problem with the service"
    axe.audit(page, "server-error")


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, live_server, demo_site, screenshot):
    visit(page, live_server, demo_site.home.url)
    skip_link = page.locator(".govuk-skip-link")
    assert not _in_viewport(skip_link), "the skip link should be off screen until focused"

    page.keyboard.press("Tab")

    assert skip_link.evaluate("element => element === document.activeElement")
    assert skip_link.inner_text() == "Skip to main content"
    assert _in_viewport(skip_link), "the focused skip link should be visible"
    screenshot(page, "skip-link-focused")

    page.keyboard.press("Enter")

    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'main-content'")
    assert page.url.endswith("#main-content")


def _in_viewport(locator) -> bool:
    """Whether the element is rendered on screen at a readable size (not clipped to 1px off screen)."""
    return locator.evaluate(
        """element => {
            const box = element.getBoundingClientRect();
            return box.width > 1 && box.height > 1 && box.bottom > 0 && box.right > 0
                && box.top < window.innerHeight && box.left < window.innerWidth;
        }"""
    )
