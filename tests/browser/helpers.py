"""Moving around the live server in a browser tab: visiting, signing in, pressing keys and reading state."""

import re

import pytest
from django.core import mail
from django.test import Client

from challenges.models import Theme
from tests.factories import ChallengePageFactory

SITE_NAME_SUFFIX = " \N{EN DASH} Urban Challenge"


def go(page, live_server, path: str):
    """Open the live server's page at ``path`` and wait until its scripts and styles have loaded."""
    response = page.goto(live_server.url + path)
    page.wait_for_load_state("networkidle")
    return response


def settle(page) -> None:
    page.wait_for_load_state("networkidle")


def click(page, locator) -> None:
    """Click a link or button that leads to another page, and wait for that page."""
    with page.expect_navigation():
        locator.click()
    settle(page)


# The smallest file the upload checks accept as a PDF.
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def sign_in_as(page, live_server, user) -> None:
    """Give the tab a session for ``user`` (a test shortcut past the sign-in form, which its own tests cover)."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def sign_out(page) -> None:
    page.context.clear_cookies()


def title(page) -> str:
    """The tab's title without the site's name, which every title ends with."""
    text = page.title()
    assert text.endswith(SITE_NAME_SUFFIX), text
    return text.removesuffix(SITE_NAME_SUFFIX)


def heading(page) -> str:
    return page.locator("h1").first.inner_text()


def focused(page) -> str:
    """A short description of the element that has focus: its id, or its tag and text."""
    return page.evaluate(
        "() => { const e = document.activeElement; return e.id || (e.tagName + ':' + e.textContent.trim()); }"
    )


def last_code_sent_to(email: str) -> str:
    """The six-digit code in the last email sent to ``email`` (the live server shares this process's outbox)."""
    for message in reversed(mail.outbox):
        if email in message.to:
            match = re.search(r"^\s*(\d{6})\s*$", message.body, re.M)
            assert match, message.body
            return match.group(1)
    raise AssertionError(f"No email was sent to {email}: {[m.to for m in mail.outbox]}")


# What a sighted keyboard user sees of the focused element: its own outline or shadow, its colours, or for
# GOV.UK radios and checkboxes (whose input is invisible) the ring drawn around the label's box.
DESCRIBE_FOCUS = """() => {
  const e = document.activeElement;
  const label = e.labels && e.labels[0];
  const name = ((label && label.innerText) || e.getAttribute('aria-label') || e.innerText || e.value || '').trim();
  const style = getComputedStyle(e);
  let ring = style.boxShadow !== 'none' || (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
    && style.outlineColor !== 'rgba(0, 0, 0, 0)');
  if ((e.type === 'radio' || e.type === 'checkbox') && label) {
    ring = getComputedStyle(label, '::before').boxShadow !== 'none';
  }
  const yellow = style.backgroundColor === 'rgb(255, 221, 0)';
  const box = e.getBoundingClientRect();
  return {tag: e.tagName, type: e.type || '', id: e.id, name: name.split('\\n')[0].trim(), visible: ring || yellow,
          onScreen: box.width > 0 && box.height > 0};
}"""


class Keyboard:
    """Moves focus with Tab as a person would, and checks each element it lands on shows its focus."""

    def __init__(self, page):
        self.page = page
        self.stops = 0

    def focused(self) -> dict:
        return self.page.evaluate(DESCRIBE_FOCUS)

    def tab_to(self, name: str, *, backwards: bool = False, limit: int = 60) -> dict:
        """Press Tab (or Shift+Tab) until the focused element's label or text starts with ``name``."""
        seen = []
        for _ in range(limit):
            self.page.keyboard.press("Shift+Tab" if backwards else "Tab")
            self.stops += 1
            focused = self.focused()
            if focused["tag"] != "BODY":
                assert focused["visible"], f"No visible focus on {focused}"
            seen.append(focused["name"][:40])
            if focused["name"].startswith(name):
                return focused
        raise AssertionError(f"Tab never reached {name!r}; it went through {seen}")

    def type_into(self, name: str, text: str) -> None:
        self.tab_to(name)
        self.page.keyboard.type(text)

    def tick(self, name: str) -> None:
        """Tab to a radio or checkbox and choose it with the space bar."""
        focused = self.tab_to(name)
        assert focused["type"] in ("radio", "checkbox"), focused
        self.page.keyboard.press("Space")
        assert self.page.evaluate("() => document.activeElement.checked")

    def press(self, name: str, key: str = "Enter") -> None:
        """Tab to a link or button and operate it, waiting for the page it leads to."""
        self.tab_to(name)
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.page.wait_for_load_state("networkidle")


def challenge_like(demo_site, slug: str, **dates):
    """Another challenge of the demo site's sponsor, about homelessness, titled after its slug."""
    return ChallengePageFactory(
        parent=demo_site.sponsor_index,
        sponsor=demo_site.challenge.sponsor,
        title=slug.replace("-", " ").capitalize(),
        slug=slug,
        themes=list(Theme.objects.filter(slug="homelessness")),
        **dates,
    )


AUDIT_MARKS = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("built_assets"),
]
"""What every page-audit module is: browser tests on a live server's database, with the built assets."""
