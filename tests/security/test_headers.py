"""The headers production sends, and the Content-Security-Policy every environment sends."""

import importlib
import re
from pathlib import Path

import pytest
from django.test import override_settings

from config.csp import HEADER as CSP

from .checks import deploy_check

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
SECURITY_SETTINGS = (
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "X_FRAME_OPTIONS",
    "CONTENT_SECURITY_POLICY",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
)


@pytest.fixture
def production(monkeypatch):
    """The production settings module's security values, applied to this test's settings."""
    monkeypatch.setenv("DJANGO_SECRET_KEY", "test-" + "s" * 60)
    module = importlib.import_module("config.settings.production")
    module = importlib.reload(module)
    with override_settings(**{name: getattr(module, name) for name in SECURITY_SETTINGS}):
        yield module


def directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_production_sends_hsts_nosniff_referrer_policy_and_no_framing(client, demo_site, production):
    response = client.get("/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = directives(response[CSP])
    assert policy["frame-ancestors"] == ["'none'"]
    assert "upgrade-insecure-requests" in policy


def test_production_redirects_plain_http_to_https(client, demo_site, production):
    response = client.get("/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"


def test_public_pages_allow_only_their_own_scripts_and_styles(client, demo_site):
    for url in ("/", demo_site.listing.url, demo_site.challenge.url, "/archive/", "/no-such-page/"):
        header = client.get(url)[CSP]
        assert "unsafe-inline" not in header and "unsafe-eval" not in header, url
        policy = directives(header)
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"], url
        assert policy["frame-ancestors"] == ["'none'"] and policy["form-action"] == ["'self'"], url


INLINE_CODE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>|\sstyle=\"|\son[a-z]+=\"", re.IGNORECASE
)


def test_no_template_outside_the_admin_and_emails_carries_inline_script_or_style():
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        parts = template.relative_to(ROOT / "templates").parts
        if "admin" in parts or "email" in parts or parts[0] == "notifications":
            continue
        if INLINE_CODE.search(template.read_text()):
            offenders.append("/".join(parts))
    assert offenders == []


def test_the_admin_may_run_wagtails_inline_scripts_and_frame_its_previews(admin_client):
    policy = directives(admin_client.get("/admin/")[CSP])
    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]


def test_a_cached_page_carries_the_policy_too(client, demo_site):
    with override_settings(PAGE_CACHE_SECONDS=300):
        client.get("/")
        hit = client.get("/")
    assert hit["X-Page-Cache"] == "hit"
    assert directives(hit[CSP])["script-src"] == ["'self'"]


def test_the_deployment_checklist_is_clean():
    result = deploy_check("--fail-level", "WARNING", TRUSTED_PROXY_COUNT="1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
