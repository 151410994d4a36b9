"""Every public, supplier and judge page, in each state a user meets it in, audited by axe-core for WCAG 2.2
A/AA (zero violations) and for anything the Content-Security-Policy blocked.

The list of URL names below is checked against the URL configuration: a new public, supplier or judge URL
fails ``test_every_public_supplier_and_judge_url_is_audited`` until it is audited here or excluded with a
reason. Screenshots go to test-artifacts/screenshots/audit/.
"""

from datetime import timedelta

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, get_page_models

from accounts.tokens import invitation_token
from archive.services import archive_sync_challenge
from challenges.models import Theme
from home.models import StandardPage
from judging.models import PanelInvitation
from judging.services.decisions import challenge_announce, decision_record
from judging.services.invitations import panel_invitation_token
from submissions.models import ProposalStatus
from tests.factories import ChallengePageFactory, UserFactory
from tests.factories.accounts import PASSWORD, totp_code_for
from tests.factories.judging import assign, closed_challenge, make_judge, make_manager, make_proposal, seat
from tests.factories.organisations import InvitationFactory
from tests.factories.submissions import make_organisation, standard_question_set

from .helpers import click, go, heading, sign_in_as, title

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("built_assets"),
]

# Every URL name a member of the public, a supplier or a judge can open, audited by a test in this module.
# Wagtail pages are named ``wagtail:<PageClass>``; "404" is the page-not-found page.
AUDITED = {
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
    "mfa_index",
    "mfa_authenticate",
    "mfa_reauthenticate",
    "mfa_activate_totp",
    "mfa_deactivate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "accounts:organisation_list",
    "accounts:organisation_create",
    "accounts:organisation_detail",
    "accounts:organisation_edit",
    "accounts:organisation_invite",
    "accounts:invitation_accept",
    "accounts:invitation_revoke",
    "accounts:membership_remove",
    "accounts:membership_leave",
    "submissions:dashboard",
    "submissions:start",
    "submissions:task_list",
    "submissions:section",
    "submissions:check",
    "submissions:confirmation",
    "submissions:withdraw",
    "clarifications:ask",
    "clarifications:mine",
    "judging:dashboard",
    "judging:conflicts",
    "judging:invitation_accept",
    "judging:review",
    "judging:expertise",
}

# URL names that are not HTML pages a person reads, or that only redirect, with the reason.
EXCLUDED = {
    "account_confirm_login_code": "sign-in by emailed code is turned off (ACCOUNT_LOGIN_BY_CODE_ENABLED unset)",
    "mfa_download_recovery_codes": "a text file download",
    "account_signup_restart": "POST only: the code page's 'Use a different email address' button, then a redirect",
    "robots_txt": "a text file for crawlers",
    "favicon_ico": "an icon file",
    "submissions:submit": "POST only: the check-answers page's button; errors re-render the check page",
    "submissions:download": "a file download",
    "judging:download": "a file download",
    "archive:suggest": "JSON for the search box's suggestions",
    "opendata:challenges": "JSON API",
    "opendata:challenge": "JSON API",
    "opendata:outcomes": "JSON API",
    "opendata:openapi": "JSON (OpenAPI schema)",
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


@pytest.fixture
def audit(page, axe):
    """``audit(name)``: audit the page the tab shows, saving its screenshot under audit/."""
    return lambda name: axe.audit(page, f"audit/{name}")


def _challenge(demo_site, slug: str, **dates):
    return ChallengePageFactory(
        parent=demo_site.sponsor_index,
        sponsor=demo_site.challenge.sponsor,
        title=slug.replace("-", " ").capitalize(),
        slug=slug,
        themes=list(Theme.objects.filter(slug="homelessness")),
        **dates,
    )


def test_public_pages(page, live_server, demo_site, audit, axe):
    now = timezone.now()
    about = demo_site.home.add_child(
        instance=StandardPage(title="About the challenges", slug="about", lead="Who runs the challenges.", body=[])
    )
    upcoming = _challenge(
        demo_site, "upcoming-challenge", opens_at=now + timedelta(days=5), closes_at=now + timedelta(days=30)
    )
    closed = _challenge(
        demo_site, "closed-challenge", opens_at=now - timedelta(days=30), closes_at=now - timedelta(hours=1)
    )
    judging = closed_challenge(
        demo_site.sponsor_index, demo_site.challenge.sponsor, slug="judging-challenge", title="Judging challenge"
    )
    archived = _challenge(
        demo_site, "archived-challenge", opens_at=now - timedelta(days=900), closes_at=now - timedelta(days=800)
    )
    announced = closed_challenge(
        demo_site.sponsor_index, demo_site.challenge.sponsor, slug="announced", title="Fewer evictions"
    )
    announced.themes.set(Theme.objects.filter(slug="homelessness"))
    announced.save()
    proposal = make_proposal(announced, title="Early warning for rent arrears", status=ProposalStatus.MODERATION)
    manager = make_manager(announced.sponsor)
    decision_record(
        proposal=proposal, outcome="winner", feedback="Clear.", public_rationale="Reached households early.", by=manager
    )
    challenge_announce(challenge=announced, by=manager)
    # Enough archived challenges for a second page of search results (20 a page).
    for number in range(21):
        past = _challenge(
            demo_site,
            f"past-bus-challenge-{number}",
            opens_at=now - timedelta(days=900 + number),
            closes_at=now - timedelta(days=800 + number),
        )
        archive_sync_challenge(past.pk)  # what publishing through the admin schedules

    go(page, live_server, demo_site.home.url)
    audit("home")
    go(page, live_server, about.url)
    audit("standard-page")
    go(page, live_server, demo_site.listing.url)
    audit("challenge-listing")
    go(page, live_server, demo_site.sponsor_index.url)
    audit("sponsor-challenges")
    for state, challenge in [
        ("open", demo_site.challenge),
        ("upcoming", upcoming),
        ("closed", closed),
        ("judging", judging),
        ("winners-announced", announced),
        ("archived", archived),
    ]:
        go(page, live_server, challenge.url)
        assert heading(page) == challenge.title
        audit(f"challenge-{state}")
    go(page, live_server, demo_site.challenge.url)
    assert page.get_by_text("Can a consortium apply?").is_visible()  # the FAQ

    go(page, live_server, "/archive/?q=bus")
    assert "Past bus challenge" in page.locator("main").inner_text()
    audit("archive-results")
    click(page, page.get_by_role("link", name="Next"))
    assert "page=2" in page.url
    audit("archive-results-page-2")
    go(page, live_server, "/archive/?q=zzzxqnothing")
    audit("archive-no-results")
    go(page, live_server, "/archive/?q=rent+arrears&kind=winner&theme=homelessness")
    assert "Early warning for rent arrears" in page.locator("main").inner_text()
    audit("archive-filtered")
    go(page, live_server, "/archive/winners/")
    audit("winners-gallery")
    click(page, page.get_by_role("link", name="Early warning for rent arrears").first)
    assert heading(page) == "Early warning for rent arrears"
    audit("winner")
    go(page, live_server, "/data/")
    audit("open-data")
    response = go(page, live_server, "/no-such-page/")
    assert response.status == 404
    audit("not-found")

    private = demo_site.home.add_child(instance=StandardPage(title="Panel notes", slug="panel-notes", body=[]))
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="s3cret")
    go(page, live_server, private.url)
    assert heading(page) == "Password required"
    click(page, page.get_by_role("button", name="Continue"))
    assert title(page).startswith("Error: ")
    audit("page-password-errors")
    go(page, live_server, f"/_util/login/?next={private.url}")
    assert heading(page) == "Sign in"
    assert page.url.endswith(f"/account/login/?next={private.url.replace('/', '%2F')}")


def test_account_pages(page, live_server, demo_site, audit, axe):
    go(page, live_server, "/account/login/")
    audit("sign-in")
    click(page, page.get_by_role("button", name="Sign in"))
    assert title(page).startswith("Error: ")
    audit("sign-in-errors")
    go(page, live_server, "/account/signup/")
    audit("sign-up")
    click(page, page.get_by_role("button", name="Create account"))
    audit("sign-up-errors")
    page.get_by_label("Email address").fill("ada@brumtech.example")
    page.get_by_label("Password", exact=True).fill("a-long-and-unusual-passphrase")
    page.get_by_label("Confirm password").fill("a-long-and-unusual-passphrase")
    click(page, page.get_by_role("button", name="Create account"))
    assert heading(page) == "Check your email"
    audit("verify-email")
    page.get_by_label("Code").fill("000000")
    click(page, page.get_by_role("button", name="Continue"))
    assert title(page).startswith("Error: ")
    audit("verify-email-error")

    go(page, live_server, "/account/password/reset/")
    audit("password-reset")
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
    go(page, live_server, key_url)
    audit("password-reset-new-password")
    page.get_by_label("New password", exact=True).fill("x")
    click(page, page.get_by_role("button").filter(has_text="password").first)
    assert title(page).startswith("Error: ")
    audit("password-reset-new-password-errors")
    page.get_by_label("New password", exact=True).fill("another-long-passphrase")
    page.get_by_label("Confirm new password").fill("another-long-passphrase")
    click(page, page.get_by_role("button").filter(has_text="password").first)
    audit("password-reset-done")
    go(page, live_server, "/account/password/reset/key/bad-key/")
    audit("password-reset-bad-link")

    inactive = UserFactory(email="gone@brumtech.example", verified=True, is_active=False)
    assert not inactive.is_active
    go(page, live_server, "/account/inactive/")
    audit("account-inactive")

    user.refresh_from_db()  # the new password, which the session is bound to
    sign_in_as(page, live_server, user)
    go(page, live_server, "/account/email/")
    audit("email-addresses")
    go(page, live_server, "/account/password/change/")
    audit("password-change")
    click(page, page.get_by_role("button").filter(has_text="password").first)
    assert title(page).startswith("Error: ")
    audit("password-change-errors")
    go(page, live_server, "/account/reauthenticate/")
    audit("reauthenticate")
    go(page, live_server, "/account/logout/")
    audit("sign-out")

    no_password = UserFactory(email="sso@brumtech.example", verified=True)
    no_password.set_unusable_password()
    no_password.save()
    sign_in_as(page, live_server, no_password)
    go(page, live_server, "/account/password/set/")
    audit("password-set")


def test_two_factor_pages(page, live_server, demo_site, audit, axe):
    judge = make_judge(email="judge@panel.example")
    go(page, live_server, "/account/login/")
    page.get_by_label("Email address").fill("judge@panel.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    click(page, page.get_by_role("button", name="Sign in"))
    assert heading(page) == "Enter your two-factor code"
    audit("two-factor-code")
    page.get_by_label("Code").fill("000000")
    click(page, page.get_by_role("button", name="Continue"))
    assert title(page).startswith("Error: ")
    audit("two-factor-code-error")
    page.get_by_label("Code").fill(totp_code_for(judge))
    click(page, page.get_by_role("button", name="Continue"))

    go(page, live_server, "/account/2fa/")
    audit("two-factor-settings")
    go(page, live_server, "/account/2fa/recovery-codes/")
    audit("recovery-codes")
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
    go(page, live_server, "/account/2fa/reauthenticate/")
    audit("two-factor-reauthenticate")

    newcomer = UserFactory(email="new@panel.example", verified=True)
    sign_in_as(page, live_server, newcomer)
    go(page, live_server, "/account/2fa/totp/activate/")
    if "/reauthenticate/" in page.url:
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        click(page, page.get_by_role("button", name="Continue"))
    assert heading(page) == "Set up two-factor authentication"
    audit("two-factor-set-up")
    click(page, page.get_by_role("button", name="Turn on two-factor authentication"))
    assert title(page).startswith("Error: ")
    audit("two-factor-set-up-errors")


def test_organisation_pages(page, live_server, demo_site, audit, axe):
    owner = UserFactory(email="ada@brumtech.example", verified=True)
    member = UserFactory(email="bob@brumtech.example", verified=True)
    organisation = make_organisation(member, owner=owner)
    invitation = InvitationFactory(organisation=organisation, invited_by=owner, email="cat@brumtech.example")
    stranger = UserFactory(email="cat@brumtech.example", verified=True)
    other = make_organisation(name="Kind Homes CIC", owner=UserFactory(verified=True))

    sign_in_as(page, live_server, owner)
    go(page, live_server, "/organisations/")
    audit("organisations")
    go(page, live_server, "/organisations/new/")
    audit("organisation-create")
    click(page, page.get_by_role("button").filter(has_text="organisation").first)
    assert title(page).startswith("Error: ")
    audit("organisation-create-errors")
    go(page, live_server, f"/organisations/{organisation.slug}/")
    audit("organisation")
    go(page, live_server, f"/organisations/{organisation.slug}/edit/")
    audit("organisation-edit")
    go(page, live_server, f"/organisations/{organisation.slug}/invite/")
    audit("organisation-invite")
    page.get_by_label("Email address").fill("not an email")
    click(page, page.locator("main form").get_by_role("button").last)
    assert title(page).startswith("Error: ")
    audit("organisation-invite-errors")
    go(page, live_server, f"/organisations/{organisation.slug}/invitations/{invitation.pk}/revoke/")
    audit("invitation-revoke")
    membership = organisation.memberships.get(user=member)
    go(page, live_server, f"/organisations/{organisation.slug}/members/{membership.pk}/remove/")
    audit("member-remove")
    response = go(page, live_server, f"/organisations/{other.slug}/")
    assert response.status in (403, 404)
    audit("organisation-forbidden")

    sign_in_as(page, live_server, member)
    go(page, live_server, f"/organisations/{organisation.slug}/leave/")
    audit("organisation-leave")

    sign_in_as(page, live_server, stranger)
    go(page, live_server, f"/organisations/invitations/{invitation_token(invitation)}/")
    audit("invitation-accept")
    go(page, live_server, "/organisations/invitations/not-a-token/")
    audit("invitation-unavailable")


def test_supplier_proposal_pages(page, live_server, demo_site, audit, axe, tmp_path):
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
    go(page, live_server, "/proposals/")
    audit("proposals-empty")
    go(page, live_server, f"/proposals/start/{challenge.pk}/")
    audit("proposal-start")
    click(page, page.get_by_role("button", name="Start proposal"))
    audit("proposal-task-list")
    proposal_url = page.url.removeprefix(live_server.url)
    go(page, live_server, f"{proposal_url}section/0/")
    audit("proposal-section-about")
    go(page, live_server, f"{proposal_url}section/1/")
    audit("proposal-section-solution")
    page.get_by_label("Describe your solution").fill(" ".join(["word"] * 60))
    page.get_by_label("Cost of the pilot").fill("999999")
    click(page, page.get_by_role("button", name="Save and continue"))
    assert title(page).startswith("Error: ")
    audit("proposal-section-solution-errors")
    go(page, live_server, f"{proposal_url}section/2/")
    audit("proposal-section-delivery")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2027")
    click(page, page.get_by_role("button", name="Save and return to your proposal"))
    assert title(page).startswith("Error: ")
    audit("proposal-section-delivery-errors")
    go(page, live_server, f"{proposal_url}check/")
    audit("proposal-check-answers-incomplete")

    go(page, live_server, f"/questions/ask/{challenge.pk}/")
    audit("clarification-ask")
    click(page, page.get_by_role("button").filter(has_text="question").first)
    assert title(page).startswith("Error: ")
    audit("clarification-ask-errors")
    page.get_by_label("Your question").fill("Can a consortium apply?")
    click(page, page.get_by_role("button").filter(has_text="question").first)
    go(page, live_server, "/questions/mine/")
    assert "Can a consortium apply?" in page.locator("main").inner_text()
    audit("clarifications-mine")
    closed = _challenge(
        demo_site, "closed-for-questions", opens_at=timezone.now() - timedelta(days=30), closes_at=timezone.now()
    )
    go(page, live_server, f"/questions/ask/{closed.pk}/")
    audit("clarification-closed")
    go(page, live_server, f"/proposals/start/{closed.pk}/")
    audit("proposal-closed")


def test_submitted_proposal_pages(page, live_server, demo_site, audit, axe):
    challenge = _challenge(demo_site, "still-open", proposal_questions=standard_question_set())
    supplier = UserFactory(email="ada@brumtech.example", verified=True)
    proposal = make_proposal(challenge, supplier=supplier, title="Early warning", status=ProposalStatus.SUBMITTED)
    sign_in_as(page, live_server, supplier)
    go(page, live_server, "/proposals/")
    audit("proposals")
    go(page, live_server, f"/proposals/{proposal.pk}/")
    audit("proposal-submitted")
    go(page, live_server, f"/proposals/{proposal.pk}/submitted/1/")
    audit("proposal-receipt")
    go(page, live_server, f"/proposals/{proposal.pk}/withdraw/")
    audit("proposal-withdraw")


def test_judge_pages(page, live_server, demo_site, audit, axe):
    challenge = closed_challenge(demo_site.sponsor_index, demo_site.challenge.sponsor, slug="judged")
    challenge.themes.set(Theme.objects.filter(slug__in=["homelessness", "open-data"]))
    proposal = make_proposal(challenge, title="Early warning for rent arrears")
    judge = make_judge(email="judge@panel.example")
    seat(challenge, judge)
    review = assign(proposal, judge, confirmed=False)
    manager = make_manager(challenge.sponsor)
    invitation = PanelInvitation.objects.create(challenge=challenge, email="newjudge@panel.example", invited_by=manager)
    newcomer = make_judge(email="newjudge@panel.example")

    sign_in_as(page, live_server, judge)
    go(page, live_server, "/judging/")
    audit("judge-dashboard")
    go(page, live_server, f"/judging/assignments/{review.assignment_id}/")
    audit("judge-conflict-check")
    click(page, page.get_by_role("button", name="I have no conflict of interest"))
    audit("judge-review")
    click(page, page.get_by_role("button", name="Submit review"))
    assert title(page).startswith("Error: ")
    audit("judge-review-errors")
    go(page, live_server, "/judging/conflicts/")
    audit("judge-conflicts")
    go(page, live_server, f"/judging/panels/{challenge.pk}/expertise/")
    audit("judge-expertise")

    sign_in_as(page, live_server, newcomer)
    go(page, live_server, f"/judging/invitations/{panel_invitation_token(invitation)}/")
    audit("panel-invitation")
    go(page, live_server, "/judging/invitations/forged/")
    audit("panel-invitation-unavailable")

    supplier = UserFactory(verified=True)
    sign_in_as(page, live_server, supplier)
    response = go(page, live_server, "/judging/")
    assert response.status == 403
    audit("judging-refused")


def test_every_public_supplier_and_judge_url_is_audited(request, axe):
    names = public_supplier_and_judge_url_names()
    missing = sorted(names - AUDITED - EXCLUDED.keys())
    assert not missing, f"Public, supplier or judge URL names neither audited nor excluded: {missing}"
    stale = sorted((AUDITED | EXCLUDED.keys()) - names)
    assert not stale, f"Audited or excluded URL names that no longer exist: {stale}"

    module_tests = [item for item in request.session.items if item.module is request.module]
    if len(module_tests) < len([name for name in dir(request.module) if name.startswith("test_")]):
        pytest.skip("Only part of this module ran, so not every audit had the chance to record its page")
    not_audited = sorted(AUDITED - axe.audited)
    assert not not_audited, f"Listed as audited, but no audit in this run reached: {not_audited}"
