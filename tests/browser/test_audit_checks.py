"""The checks the browser tests rely on can fail: a page whose Content-Security-Policy blocks something fails its
audit, and a control that hides its focus fails the keyboard run. Pages served by Playwright itself, no database.
"""

import pytest

from .helpers import Keyboard

pytestmark = [pytest.mark.browser]

ORIGIN = "http://audit-checks.test"
PAGE = """<!doctype html><html lang="en"><head><title>Check</title>{head}</head>
<body><main><h1>Check</h1><a href="#x">First link</a> <a href="#y">Second link</a>{body}</main></body></html>"""
STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'"


def serve(page, html: str, *, csp: str = "") -> None:
    headers = {"Content-Type": "text/html; charset=utf-8"}
    if csp:
        headers["Content-Security-Policy"] = csp
    page.route(f"{ORIGIN}/", lambda route: route.fulfill(status=200, headers=headers, body=html))
    page.goto(f"{ORIGIN}/")


def test_a_page_whose_csp_blocks_an_inline_script_fails_its_audit(page, axe):
    serve(page, PAGE.format(head="", body="<script>document.title = 'Changed';</script>"), csp=STRICT_CSP)

    with pytest.raises(AssertionError, match="Content-Security-Policy blocked something") as failure:
        axe.audit(page, "checks/csp-inline-script")

    assert "script-src" in str(failure.value)
    assert page.title() == "Check"  # the script really was blocked


def test_a_page_whose_csp_blocks_an_inline_style_fails_its_audit(page, axe):
    serve(page, PAGE.format(head="", body='<p style="color: #0b0c0c">Styled</p>'), csp=STRICT_CSP)

    with pytest.raises(AssertionError, match="style-src"):
        axe.audit(page, "checks/csp-inline-style")


def test_a_page_within_its_csp_passes_and_axe_still_runs(page, axe):
    serve(page, PAGE.format(head="", body="<p>Nothing inline.</p>"), csp=STRICT_CSP)

    results = axe.audit(page, "checks/csp-clean")

    assert results["passes"]  # axe-core was injected despite script-src 'self'


def test_hidden_focus_fails_the_keyboard_run(page):
    serve(page, PAGE.format(head="<style>a:focus { outline: none; box-shadow: none; }</style>", body=""))

    with pytest.raises(AssertionError, match="No visible focus"):
        Keyboard(page).tab_to("Second link")


def test_visible_focus_passes_the_keyboard_run(page):
    serve(page, PAGE.format(head="<style>a:focus { outline: 3px solid #fd0; }</style>", body=""))

    assert Keyboard(page).tab_to("Second link")["visible"]


def test_a_page_too_wide_for_a_phone_fails_its_audit_and_names_what_sticks_out(page, axe):
    serve(page, PAGE.format(head="", body='<table class="wide-table"><tr><td>' + "cell " * 120 + "</td></tr></table>"))
    page.add_style_tag(content=".wide-table td { white-space: nowrap; }")

    with pytest.raises(AssertionError, match=r"wide at 320 px \(WCAG 2.2 1.4.10 Reflow\)") as failure:
        axe.audit(page, "checks/too-wide")

    assert "td" in str(failure.value) and "table.wide-table" in str(failure.value)
    assert page.viewport_size["width"] > 320  # the tab gets its size back


def test_a_wide_table_in_its_own_scroll_region_keeps_the_page_narrow(page, axe):
    region = '<div class="region" role="region" aria-label="Wide table" tabindex="0">{}</div>'
    table = '<table><tr><td class="cell">' + "cell " * 120 + "</td></tr></table>"
    serve(page, PAGE.format(head="", body=region.format(table)))
    page.add_style_tag(content=".region { overflow-x: auto; } .cell { white-space: nowrap; }")

    assert axe.audit(page, "checks/scroll-region")["passes"]
