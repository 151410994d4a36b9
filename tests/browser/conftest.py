"""Drives Debian's Chromium through Playwright and audits pages with axe-core.

Every test in this folder is marked ``browser``. Without Chromium (``/usr/bin/chromium``, or the path in the
``CHROMIUM_PATH`` environment variable) they are skipped, and the end of the run says so. Playwright never
downloads a browser here: it drives the system one through ``executable_path``.
"""

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .helpers import click, go, title

# Playwright's sync API runs an asyncio event loop in the test's thread, which makes Django refuse
# database access there ("You cannot call this from an async context") without this.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

REPO_ROOT = Path(__file__).resolve().parents[2]
BROWSER_TESTS_DIR = Path(__file__).resolve().parent
CHROMIUM_PATH = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
SKIP_REASON = f"Chromium not found at {CHROMIUM_PATH}: browser tests skipped (apt-get install chromium)"
AXE_PATH = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS_DIR = REPO_ROOT / "test-artifacts" / "screenshots"
# The WCAG 2.0, 2.1 and 2.2 A and AA success criteria.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
VIEWPORT = {"width": 1280, "height": 900}
# WCAG 2.2 1.4.10 Reflow: content readable at 320 CSS pixels wide without scrolling the page sideways. axe-core does
# not test it, so every audit narrows the tab to this width and measures the page.
REFLOW_WIDTH = 320
# Names the elements that stick out past the right edge, deepest first, so a failure says what to fix.
OVERFLOWING = """width => {
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + [...el.classList].slice(0, 2).map(name => '.' + name).join('');
  // Boxes that reach past the edge, and boxes whose text runs out of them (a long address in a paragraph).
  const wide = [...document.body.querySelectorAll('*')].filter(el => {
    const box = el.getBoundingClientRect();
    const spills = getComputedStyle(el).overflowX === 'visible' && el.scrollWidth > el.clientWidth + 1
      && box.left + el.scrollWidth > width + 1;
    return box.width > 0 && (box.right > width + 1 || spills);
  });
  const deepest = wide.filter(el => !wide.some(other => other !== el && el.contains(other)));
  return deepest.slice(0, 5).map(el => {
    const path = [];
    for (let node = el; node && node !== document.body && path.length < 4; node = node.parentElement) {
      path.unshift(describe(node));
    }
    return path.join(' > ') + ` (right edge at ${Math.round(el.getBoundingClientRect().right)} px)`;
  });
}"""

_skipped_browser_tests = pytest.StashKey[int]()


def chromium_available() -> bool:
    return CHROMIUM_PATH.is_file() and os.access(CHROMIUM_PATH, os.X_OK)


def _is_browser_test(item: pytest.Item) -> bool:
    return BROWSER_TESTS_DIR in Path(str(item.path)).resolve().parents


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark this folder's tests ``browser`` (before ``-m`` selects), and skip them all without Chromium."""
    have_chromium = chromium_available()
    skipped = 0
    for item in items:
        if not _is_browser_test(item):
            continue
        item.add_marker(pytest.mark.browser)
        if not have_chromium:
            item.add_marker(pytest.mark.skip(reason=SKIP_REASON))
            skipped += 1
    config.stash[_skipped_browser_tests] = skipped


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    """Say once, at the end of the run, that the browser tests did not run."""
    skipped = config.stash.get(_skipped_browser_tests, 0)
    if not skipped:
        return
    # Only count those -m or -k left selected.
    selected = [report for report in terminalreporter.stats.get("skipped", []) if SKIP_REASON in str(report.longrepr)]
    if selected:
        terminalreporter.write_sep("=", "browser tests", yellow=True)
        terminalreporter.write_line(f"{len(selected)} {SKIP_REASON}", yellow=True)


def _serialized_test_databases() -> dict[str, str]:
    """What Django saved of each test database after migrating, to restore after a transactional test's flush."""
    from django.db import connections

    return {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


def _hand_over_serialized_test_databases(serialized: dict[str, str]) -> None:
    """Give the connections Django uses from now on the saved contents of the test databases.

    Playwright's sync API keeps an asyncio event loop running in this thread. Django keeps its database
    connections in an asgiref ``Local``, which then stores them apart from those made before the loop started:
    the first query after Playwright starts opens a new connection object, which lacks the database contents
    that ``serialized_rollback`` restores (they were stored on the old one). Without them, every test after the
    first transactional flush would find no home page and no themes.
    """
    from django.db import connections

    for alias, contents in serialized.items():
        connection = connections[alias]
        if not hasattr(connection, "_test_serialized_contents"):
            connection._test_serialized_contents = contents


@pytest.fixture(scope="session")
def browser(django_db_setup, django_db_blocker):
    """One headless Chromium for the whole run."""
    if not chromium_available():
        pytest.skip(SKIP_REASON)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    serialized = _serialized_test_databases()
    with sync_playwright() as playwright:
        _hand_over_serialized_test_databases(serialized)
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM_PATH), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        # Close the connections opened while the loop ran, so the test databases can be dropped.
        with django_db_blocker.unblock():
            connections.close_all()


# Runs in every document before its own scripts (Playwright's init scripts are exempt from the page's CSP).
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', event => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`
    + (event.sourceFile ? ` at ${event.sourceFile}:${event.lineNumber}` : ''));
});
"""


def _watch_for_csp_violations(tab) -> None:
    """Keep ``tab.csp_violations``: what the browser's console said the Content-Security-Policy blocked
    in the document the tab shows now (emptied on each navigation of the main frame)."""
    tab.csp_violations = []

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            tab.csp_violations.append(message.text)

    def on_navigated(frame) -> None:
        if frame == tab.main_frame:
            tab.csp_violations.clear()

    tab.on("console", on_console)
    tab.on("framenavigated", on_navigated)


@pytest.fixture
def page(browser):
    """A fresh tab in its own browser context (no cookies or storage shared between tests)."""
    context = browser.new_context(viewport=VIEWPORT, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(15_000)
    context.add_init_script(CSP_LISTENER)
    tab = context.new_page()
    _watch_for_csp_violations(tab)
    yield tab
    context.close()


def save_screenshot(page, name: str, *, full_page: bool = False) -> Path:
    """Save what the tab shows to test-artifacts/screenshots/<name>.png (a folder git ignores)."""
    path = SCREENSHOTS_DIR / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=full_page)
    return path


def _format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe-core found {len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact') or 'unknown impact'}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        nodes = violation.get("nodes", [])
        for node in nodes[:5]:
            target = " ".join(str(part) for part in node.get("target", []))
            lines.append(f"    at {target}")
            summary = " ".join(line.strip() for line in (node.get("failureSummary") or "").splitlines())
            if summary.strip():
                lines.append(f"      {summary.strip()[:300]}")
        if len(nodes) > 5:
            lines.append(f"    …and {len(nodes) - 5} more element(s)")
    return "\n".join(lines)


def csp_violations(page) -> list[str]:
    """What the Content-Security-Policy blocked on the page the tab shows, as the console and the
    ``securitypolicyviolation`` events reported it."""
    events = page.evaluate("() => window.__cspViolations || []")
    return [*getattr(page, "csp_violations", []), *events]


def audited_view_name(url: str) -> str:
    """The URL name of a page (``namespace:name``), or for a Wagtail page ``wagtail:<PageClass>``."""
    from django.http import Http404
    from django.urls import Resolver404, resolve
    from wagtail.models import Site

    path = urlsplit(url).path
    try:
        match = resolve(path)
    except Resolver404:
        return "404"
    if match.view_name != "wagtail_serve":
        return match.view_name
    site = Site.objects.select_related("root_page").get(is_default_site=True)
    components = [part for part in path.split("/") if part]
    try:
        found = site.root_page.specific.route(None, components)
    except Http404:
        return "404"
    return f"wagtail:{type(found.page.specific).__name__}"


def check_reflow(page, name: str) -> None:
    """Fail unless the page fits REFLOW_WIDTH pixels without sideways scrolling (wide tables may scroll inside a
    labelled, focusable region of their own, which keeps the page itself narrow). Saves what a phone shows as
    <name>.phone.png; the tab gets its size back."""
    size = page.viewport_size
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": size["height"]})
    try:
        save_screenshot(page, f"{name}.phone", full_page=True)
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        culprits = page.evaluate(OVERFLOWING, REFLOW_WIDTH) if scroll_width > REFLOW_WIDTH else []
    finally:
        page.set_viewport_size(size)
    assert scroll_width <= REFLOW_WIDTH, (
        f"{page.url} is {scroll_width} px wide at {REFLOW_WIDTH} px (WCAG 2.2 1.4.10 Reflow); sticking out:\n"
        + "\n".join(f"  {culprit}" for culprit in culprits)
    )


class Axe:
    """Runs axe-core's WCAG 2.2 AA rules on the page a tab shows, and saves a screenshot of it.

    ``audited`` collects the URL name of every page audited in the run (see ``audited_view_name``), so a test
    can prove no public, supplier or judge page was left out.
    """

    def __init__(self, source: str):
        self.source = source
        self.audited: set[str] = set()

    def run(self, page) -> dict:
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            # Evaluated through the DevTools protocol, not as an inline <script>, which a strict CSP blocks.
            page.evaluate("() => {\n" + self.source + "\n}")
        options = {"runOnly": {"type": "tag", "values": AXE_TAGS}}
        return page.evaluate("options => axe.run(document, options)", options)

    def audit(self, page, name: str) -> dict:
        """Screenshot the page to test-artifacts/screenshots/<name>.png, then fail on any violation of
        WCAG 2.2 A/AA, on anything the Content-Security-Policy blocked, and on a page too wide at 320 px."""
        save_screenshot(page, name, full_page=True)
        results = self.run(page)
        (SCREENSHOTS_DIR / f"{name}.axe.json").write_text(
            json.dumps({key: results[key] for key in ("url", "violations", "incomplete")}, indent=2)
        )
        assert results["passes"], f"axe-core checked nothing on {page.url}: is the page empty?"
        violations = results["violations"]
        assert not violations, _format_violations(page.url, violations)
        blocked = csp_violations(page)
        assert not blocked, f"The Content-Security-Policy blocked something on {page.url}:\n" + "\n".join(blocked)
        check_reflow(page, name)
        if urlsplit(page.url).hostname in ("localhost", "127.0.0.1"):  # the live server, not a page a test serves
            self.audited.add(audited_view_name(page.url))
        return results


class PageAudit:
    """``audit(name)``: audit the page the tab shows, saving its screenshot under audit/; ``visit(path, name)``
    opens a page and audits it; ``errors(button, name)`` presses a button that must come back with errors and
    audits the page that shows them; ``reached_all(names)`` checks this test's audits reached every URL name it
    is listed as covering."""

    def __init__(self, page, live_server, axe: Axe):
        self.page, self.live_server, self.axe, self.reached = page, live_server, axe, set()

    def __call__(self, name: str) -> dict:
        results = self.axe.audit(self.page, f"audit/{name}")
        self.reached.add(audited_view_name(self.page.url))
        return results

    def visit(self, path: str, name: str) -> dict:
        go(self.page, self.live_server, path)
        return self(name)

    def errors(self, button, name: str) -> dict:
        click(self.page, button)
        assert title(self.page).startswith("Error: "), f"{name}: expected the page to report errors"
        return self(name)

    def reached_all(self, names: set[str]) -> None:
        missing = sorted(names - self.reached)
        assert not missing, f"Listed as audited by this test, but none of its audits reached: {missing}"


@pytest.fixture
def audit(page, live_server, axe) -> PageAudit:
    return PageAudit(page, live_server, axe)


@pytest.fixture(scope="session")
def built_assets() -> None:
    """The stylesheet and scripts that `npm run build` writes into static_build/, which the pages load."""
    for path in ("css/site.css", "js/site.js", "js/govuk-frontend.min.js"):
        if not (REPO_ROOT / "static_build" / path).is_file():
            pytest.fail(f"static_build/{path} is missing: run npm ci && npm run build", pytrace=False)


@pytest.fixture
def screenshot():
    return save_screenshot


@pytest.fixture(scope="session")
def axe() -> Axe:
    if not AXE_PATH.is_file():
        pytest.fail(f"axe-core is missing ({AXE_PATH}): run npm ci", pytrace=False)
    return Axe(AXE_PATH.read_text(encoding="utf-8"))


@pytest.fixture
def supplier_on_challenge(page, live_server, demo_site):
    """A signed-in supplier with an organisation, and an open challenge asking the standard questions."""
    from tests.factories import ChallengePageFactory, UserFactory
    from tests.factories.submissions import make_organisation, standard_question_set

    from .helpers import sign_in_as

    supplier = UserFactory(email="ada@brumtech.example", verified=True)
    make_organisation(owner=supplier)
    challenge = ChallengePageFactory(
        parent=demo_site.sponsor_index,
        sponsor=demo_site.challenge.sponsor,
        title="Answering residents day and night",
        slug="answering-residents",
        proposal_questions=standard_question_set(),
    )
    sign_in_as(page, live_server, supplier)
    return challenge
