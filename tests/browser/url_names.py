"""The URL names the page audit covers, those it leaves out (with the reason), and every URL name the public, a
supplier or a judge can reach, read from the URL configuration: ``test_page_audit`` holds the first two to the
third."""

from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.models import Page, get_page_models

# Every URL name a member of the public, a supplier or a judge can open, under the audit test that reaches it
# (each checks it did). Wagtail pages are named ``wagtail:<PageClass>``; "404" is the page-not-found page.
AUDITS: dict[str, set[str]] = {
    "public_pages": {
        "wagtail:HomePage",
        "wagtail:StandardPage",
        "wagtail:ChallengeIndexPage",
        "wagtail:ChallengePage",
        "404",
        "wagtailcore_authenticate_with_password",
        "archive:search",
        "archive:winners",
        "archive:winner",
        "opendata:data",
    },
    "account_pages": {
        "account_login",
        "account_logout",
        "account_inactive",
        "account_signup",
        "account_reauthenticate",
        "account_email",
        "account_email_verification_sent",
        "account_change_password",
        "account_set_password",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
    },
    "two_factor_pages": {
        "mfa_index",
        "mfa_authenticate",
        "mfa_reauthenticate",
        "mfa_activate_totp",
        "mfa_deactivate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
    },
    "organisation_pages": {
        "accounts:organisation_list",
        "accounts:organisation_create",
        "accounts:organisation_detail",
        "accounts:organisation_edit",
        "accounts:organisation_invite",
        "accounts:invitation_accept",
        "accounts:invitation_revoke",
        "accounts:membership_remove",
        "accounts:membership_leave",
    },
    "supplier_proposal_pages": {
        "submissions:dashboard",
        "submissions:start",
        "submissions:task_list",
        "submissions:section",
        "submissions:check",
        "clarifications:ask",
        "clarifications:mine",
    },
    "submitted_proposal_pages": {"submissions:confirmation", "submissions:withdraw"},
    "stage_pages": {"judging:pitch_booking", "judging:pitch_schedule", "judging:due_diligence"},
    "pilot_pages": {"pilots:pilot", "pilots:report"},
    "judge_pages": {
        "judging:dashboard",
        "judging:conflicts",
        "judging:invitation_accept",
        "judging:review",
        "judging:submit_review",
        "judging:expertise",
    },
}
AUDITED = set().union(*AUDITS.values())

# URL names that are not HTML pages a person reads, or that only redirect, with the reason.
EXCLUDED = {
    "account_confirm_login_code": "sign-in by emailed code is turned off (ACCOUNT_LOGIN_BY_CODE_ENABLED unset)",
    "mfa_download_recovery_codes": "a text file download",
    "account_signup_restart": "POST only: the code page's 'Use a different email address' button, then a redirect",
    "robots_txt": "a text file for crawlers",
    "favicon_ico": "an icon file",
    "judging:confirm_no_conflict": "POST only: the conflict check's button, then a redirect to the review page",
    "judging:declare_conflict": "POST only: the conflict forms; an error shows the page the judge was on again",
    "judging:save_draft": "POST only: the scoring form's Save draft; an error shows the review page again",
    "judging:confirm_submit": "POST only: the check page's Yes, submit my review, then a redirect to the assignments",
    "submissions:submit": "POST only: the check-answers page's button; errors re-render the check page",
    "submissions:download": "a file download",
    "judging:download": "a file download",
    "judging:pitch_calendar": "a calendar file (.ics) download",
    "judging:pitch_attendance": "POST only: the schedule's attended / no-show buttons, then a redirect",
    "judging:due_diligence_evidence": "a file download",
    "archive:suggest": "JSON for the search box's suggestions",
    "opendata:challenges": "JSON API",
    "opendata:challenge": "JSON API",
    "opendata:outcomes": "JSON API",
    "opendata:pilots": "JSON API",
    "opendata:openapi": "JSON (OpenAPI schema)",
    "opendata:pilots_csv": "CSV download",
    "opendata:threesixtygiving_json": "JSON download (a 360Giving data package)",
    "opendata:threesixtygiving_csv": "CSV download (360Giving columns)",
    "pilots:evidence": "a file download",
    "pilots:evidence_remove": "POST only: the report page's Remove button, then a redirect to the report",
    "opendata:challenges_csv": "CSV download",
    "opendata:outcomes_csv": "CSV download",
    "opendata:challenges_feed": "Atom feed",
    "opendata:winners_feed": "Atom feed",
    "wagtail_serve": "Wagtail pages: audited by page type (wagtail:<PageClass>)",
    "wagtailcore_login": "shadowed by accounts.auth_urls: /_util/login/ redirects to allauth's sign-in",
    "wagtail_frontend_sign_in": "redirects to allauth's sign-in (account_login)",
}

# Staff-only areas (the Wagtail and Django admins, whose sign-in routes redirect to allauth's): not public,
# supplier or judge pages.
STAFF_PREFIXES = ("admin/", "django-admin/", "documents/")


def _url_names(patterns, prefix: str = "", namespace: str = ""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_names(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield route, namespace + entry.name


def public_supplier_and_judge_url_names() -> set[str]:
    """Every named URL outside the admins, plus one ``wagtail:<PageClass>`` per page type the site can serve."""
    names = {name for route, name in _url_names(get_resolver().url_patterns) if not route.startswith(STAFF_PREFIXES)}
    page_types = {f"wagtail:{model.__name__}" for model in get_page_models() if model is not Page}
    return names | page_types | {"404"}
