"""The whole journey in one browser session, every page screenshotted to test-artifacts/screenshots/journey/:

a challenge manager signs in with a two-factor code and publishes a challenge, with its questions and rubric,
through the Wagtail admin; a supplier signs up, confirms their email with the code that was emailed, sets up
their organisation, answers the questions, uploads a PDF, checks and submits, and is shown and emailed a
receipt; the manager moves the deadline into the past, screens the proposal eligible and assigns a judge;
the judge signs in with two-factor, declares no conflict, scores and submits; the manager records the proposal
as the winner and announces it; a member of the public finds the winner in the archive and opens its page.

Every page a member of the public, the supplier or the judge sees is audited by axe-core on the way.
"""

import itertools
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from allauth.mfa import app_settings as mfa_settings
from django.core import mail
from django.utils import timezone

from challenges.models import ChallengePage
from judging.models import Review, ReviewStatus
from submissions.models import Proposal, ProposalStatus
from tests.factories.accounts import PASSWORD, totp_code_for
from tests.factories.challenges import make_manager
from tests.factories.judging import make_judge, seat

from .conftest import save_screenshot
from .helpers import PDF, click, go, heading, last_code_sent_to, sign_out, title

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("built_assets"),
]

UK = ZoneInfo("Europe/London")
SUPPLIER_EMAIL = "ada@brumtech.example"
SUPPLIER_PASSWORD = "a-long-and-unusual-passphrase"


def admin_moment(moment: datetime) -> str:
    """A moment as the Wagtail admin's date-time fields take it: UK time, to the minute."""
    return moment.astimezone(UK).strftime("%Y-%m-%d %H:%M")


class Journey:
    """Numbers the pages in the order they are seen: journey/01-name.png, journey/02-name.png, …"""

    def __init__(self, page, axe):
        self.page = page
        self.axe = axe
        self.numbers = itertools.count(1)

    def _name(self, name: str) -> str:
        return f"journey/{next(self.numbers):02d}-{name}"

    def shot(self, name: str) -> None:
        """A staff page in the admin: screenshot only (the admin is Wagtail's own, audited by Wagtail)."""
        save_screenshot(self.page, self._name(name), full_page=True)

    def audit(self, name: str) -> None:
        """A public, supplier or judge page: screenshot and axe-core audit."""
        self.axe.audit(self.page, self._name(name))


_codes_used: dict[int, int] = {}


def sign_in_with_two_factor(page, live_server, user, next_path: str) -> None:
    go(page, live_server, next_path)
    assert heading(page) == "Sign in"
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    click(page, page.get_by_role("button", name="Sign in"))
    assert heading(page) == "Enter your two-factor code"
    # A code is accepted once: a person signing in again within the same 30 seconds waits for the next code.
    period = mfa_settings.TOTP_PERIOD
    if _codes_used.get(user.pk) == int(time.time()) // period:
        time.sleep(period - time.time() % period + 0.1)
    _codes_used[user.pk] = int(time.time()) // period
    page.get_by_label("Code").fill(totp_code_for(user))
    click(page, page.get_by_role("button", name="Continue"))
    assert heading(page) != "Enter your two-factor code", page.locator("main").inner_text()


def fill_admin_dates(page, dates: dict[str, datetime], *, away: str = "#id_summary") -> None:
    """Type each date-time into its field, then click away so the date pickers close before anything else."""
    for field, moment in dates.items():
        page.locator(f"#id_{field}").fill(admin_moment(moment))
        page.keyboard.press("Escape")
    close_date_pickers(page, away)


def close_date_pickers(page, away: str) -> None:
    """Click away (on ``away``) until no date picker is open: on a busy machine a picker can open again after the
    first click, and one left open covers the next button."""
    pickers = page.locator(".xdsoft_datetimepicker:visible")
    for _attempt in range(5):
        page.locator(away).click()
        if pickers.count() == 0:
            return
        page.keyboard.press("Escape")
        page.wait_for_timeout(300)
    pickers.first.wait_for(state="hidden")


def admin_publish(page) -> None:
    """Publish the page being edited, and fail with the admin's own error messages if it refuses."""
    page.get_by_role("button", name="More actions").click()
    click(page, page.get_by_role("button", name="Publish"))
    errors = page.locator(".error-message, .help-critical, [data-field-errors] p").all_inner_texts()
    assert "published." in page.locator(".messages").inner_text(), errors


def test_the_whole_journey(page, live_server, demo_site, axe, tmp_path):
    journey = Journey(page, axe)
    sponsor = demo_site.challenge.sponsor
    manager = make_manager(sponsor, email="manager@wmca.example", first_name="Jane", last_name="Khan")
    judge = make_judge(email="judge@panel.example", first_name="Priya", last_name="Sandhu")
    now = timezone.now()

    # 1. The manager signs in with a code from their authenticator app and writes the challenge.
    sign_in_with_two_factor(page, live_server, manager, "/admin/")
    assert page.url == live_server.url + "/admin/"
    journey.shot("manager-admin-dashboard")
    go(page, live_server, f"/admin/pages/add/challenges/challengepage/{demo_site.sponsor_index.pk}/")
    page.locator("#id_title").fill("Cut rough sleeping")
    page.locator("#id_summary").fill("Help outreach teams reach people sleeping rough sooner.")
    page.get_by_role("button", name="Choose sponsor").click()
    page.locator(".modal").get_by_role("link", name=sponsor.name).click()
    page.locator(".modal").wait_for(state="hidden")
    page.get_by_label("Homelessness").check()
    problem = page.locator("#panel-child-challenge-problem_statement-section")
    problem.get_by_role("button", name="Insert a block").click()
    page.get_by_role("option", name="Paragraph").click()
    problem.locator("[contenteditable=true]").click()
    page.keyboard.type("Too many people sleep rough in the city centre, and outreach reaches them late.")
    page.locator("#panel-child-challenge-what_we_seek-section [contenteditable=true]").click()
    page.keyboard.type("A way to tell outreach teams where to go first.")
    page.locator("#panel-child-challenge-eligibility-section [contenteditable=true]").click()
    page.keyboard.type("UK-registered companies and social enterprises.")
    page.locator("#id_funding_available").fill("40000")
    journey.shot("manager-challenge-form")

    # One stage, open since yesterday and closing tomorrow: the supplier submits while it is open.
    page.get_by_role("tab", name="Stages").click()
    page.locator("#id_stages-0-name").fill("Proposals")
    fill_admin_dates(
        page,
        {"stages-0-opens_at": now - timedelta(days=1), "stages-0-closes_at": now + timedelta(days=1)},
        away="#id_stages-0-name",
    )
    questions = page.locator("#stages-0-questions-root")
    questions.get_by_role("button", name="Insert a block").click()
    page.locator("#stages-0-questions-0-value-title").fill("Your solution")
    questions.get_by_role("button", name="Insert a block").nth(1).click()
    page.get_by_role("option", name="Long text").click()
    page.locator("#stages-0-questions-0-value-questions-0-value-label").fill("Describe your solution")
    page.locator("#stages-0-questions-0-value-questions-0-value-word_limit").fill("100")
    questions.get_by_role("button", name="Insert a block").nth(2).click()
    page.get_by_role("option", name="File upload").click()
    page.locator("#stages-0-questions-0-value-questions-1-value-label").fill("Project plan")
    page.locator("#stages-0-questions-0-value-questions-1-value-max_size_mb").fill("1")
    journey.shot("manager-proposal-questions")

    page.locator("#stages-0-rubric-root").get_by_role("button", name="Insert a block").click()
    page.locator("#stages-0-rubric-0-value-name").fill("Impact")
    page.locator("#stages-0-rubric-0-value-guidance").fill("How many more people will outreach reach, and how soon?")
    page.locator("#stages-0-rubric-0-value-scale_max").fill("5")
    page.locator("#stages-0-rubric-0-value-levels-0-value").fill("No evidence of impact")
    journey.shot("manager-rubric")
    admin_publish(page)
    journey.shot("manager-published")

    challenge = ChallengePage.objects.get(slug="cut-rough-sleeping")
    assert challenge.live and challenge.is_accepting_proposals()
    (stage,) = challenge.stage_list
    assert [question["type"] for question in stage.questions.raw_data[0]["value"]["questions"]] == [
        "long_text",
        "file",
    ]
    assert stage.rubric.raw_data[0]["value"]["name"] == "Impact"
    # The panel is set up beforehand; inviting and accepting are covered by the judging pages' own tests.
    seat(challenge, judge)
    sign_out(page)

    # 2. A supplier finds the challenge, signs up and confirms their email address with the emailed code.
    go(page, live_server, "/")
    journey.audit("public-home")
    click(page, page.get_by_role("link", name="Challenges").first)
    journey.audit("public-challenge-listing")
    click(page, page.get_by_role("link", name="Cut rough sleeping"))
    assert heading(page) == "Cut rough sleeping"
    assert "Too many people sleep rough" in page.locator("main").inner_text()
    journey.audit("public-challenge-open")
    click(page, page.get_by_role("button", name="Start a proposal"))
    assert heading(page) == "Sign in"
    click(page, page.get_by_role("link", name="create an account"))
    journey.audit("supplier-sign-up")
    page.get_by_label("Email address").fill(SUPPLIER_EMAIL)
    page.get_by_label("Password", exact=True).fill(SUPPLIER_PASSWORD)
    page.get_by_label("Confirm password").fill(SUPPLIER_PASSWORD)
    click(page, page.get_by_role("button", name="Create account"))
    assert heading(page) == "Check your email"
    journey.audit("supplier-verify-email")
    page.get_by_label("Code").fill(last_code_sent_to(SUPPLIER_EMAIL))
    click(page, page.get_by_role("button", name="Continue"))

    # 3. Signed in, they are back where they started: they set up their organisation first, then start.
    assert heading(page) == "Start a proposal"
    journey.audit("supplier-start-needs-an-organisation")
    click(page, page.get_by_role("button", name="Set up your organisation"))
    assert heading(page) == "Create an organisation"
    journey.audit("supplier-organisation-create")
    page.get_by_label("Organisation name").fill("Brumtech Ltd")
    page.get_by_label("Small (10 to 49 employees)").check()
    page.get_by_label("Technology").check()
    page.get_by_label("Region").select_option(label="West Midlands")
    click(page, page.get_by_role("button", name="Create organisation"))
    # Back where they were, now able to start.
    assert heading(page) == "Start a proposal"
    assert "Brumtech Ltd has been created" in page.locator("main").inner_text()
    journey.audit("supplier-proposal-start")
    click(page, page.get_by_role("button", name="Start proposal"))
    journey.audit("supplier-task-list")
    click(page, page.get_by_role("link", name="About your proposal"))
    page.get_by_label("Proposal title").fill("Street Link Now")
    page.get_by_label("Public summary").fill("Tells outreach teams within minutes where someone is sleeping rough.")
    page.get_by_label("Yes").check()
    journey.audit("supplier-section-about")
    click(page, page.get_by_role("button", name="Save and continue"))
    page.get_by_label("Describe your solution").fill("A reporting app and a live map for outreach teams.")
    plan = tmp_path / "project plan.pdf"
    plan.write_bytes(PDF)
    page.get_by_label("Project plan").set_input_files(str(plan))
    journey.audit("supplier-section-solution")
    click(page, page.get_by_role("button", name="Save and return to your proposal"))
    assert "You have completed 2 of 2 sections." in page.locator("main").inner_text()
    journey.audit("supplier-task-list-complete")
    click(page, page.get_by_role("button", name="Check answers and submit"))
    assert "project_plan.pdf" in page.locator("main").inner_text()  # a safe name for download
    journey.audit("supplier-check-answers")
    click(page, page.get_by_role("button", name="Submit proposal"))

    proposal = Proposal.objects.get()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert page.get_by_role("heading", name="Proposal submitted").is_visible()
    assert proposal.reference in page.locator("main").inner_text()
    journey.audit("supplier-receipt")
    receipts = [message for message in mail.outbox if message.to == [SUPPLIER_EMAIL]]
    assert receipts[-1].subject == f"Proposal received: {proposal.reference} (version 1)"
    sign_out(page)

    # 4. The deadline passes: the manager moves the closing date into the past through the admin, as a sponsor
    # closing a challenge early would, rather than the test waiting a day. Judging starts at the same moment.
    sign_in_with_two_factor(page, live_server, manager, f"/admin/pages/{challenge.pk}/edit/")
    closed_at = timezone.now() - timedelta(minutes=2)
    fill_admin_dates(
        page,
        {
            "judging_starts_at": closed_at,
            "judging_ends_at": closed_at + timedelta(days=14),
            "announce_at": closed_at + timedelta(days=21),
        },
    )
    page.get_by_role("tab", name="Stages").click()
    fill_admin_dates(page, {"stages-0-closes_at": closed_at}, away="#id_stages-0-name")
    journey.shot("manager-closes-the-challenge")
    admin_publish(page)
    challenge.refresh_from_db()
    assert not challenge.is_accepting_proposals()

    # 5. The manager screens the proposal eligible and assigns the judge.
    go(page, live_server, f"/admin/judging/{challenge.pk}/proposals/")
    page.get_by_label(f"Select {proposal.reference}").check()
    page.get_by_label("Move the selected proposals to").select_option(label="Eligible")
    journey.shot("manager-screening")
    click(page, page.get_by_role("button", name="Move selected proposals"))
    assert "1 moved to eligible." in page.locator(".messages").inner_text()
    go(page, live_server, f"/admin/judging/{challenge.pk}/assignments/")
    page.locator("#id_proposal").select_option(label=f"{proposal.reference}: Street Link Now")
    page.locator("#id_judge").select_option(label="Priya Sandhu")
    journey.shot("manager-assignments")
    click(page, page.get_by_role("button", name="Assign", exact=True))
    journey.shot("manager-assigned")
    assert proposal.assignments.get().judge == judge
    sign_out(page)

    # 6. The judge signs in with two-factor, declares no conflict, scores and submits.
    sign_in_with_two_factor(page, live_server, judge, "/judging/")
    assert page.url == live_server.url + "/judging/"
    journey.audit("judge-dashboard")
    click(page, page.get_by_role("link", name="Street Link Now"))
    journey.audit("judge-conflict-check")
    click(page, page.get_by_role("button", name="I have no conflict of interest"))
    assert "A reporting app and a live map" in page.locator("main").inner_text()
    journey.audit("judge-review")
    page.get_by_role("group", name="Impact").get_by_role("radio").nth(4).check()
    page.get_by_label("Comment on Impact").fill("Reaches people on the first night.")
    click(page, page.get_by_role("button", name="Submit review"))
    journey.audit("judge-review-check")
    assert "Reaches people on the first night." in page.locator(".govuk-summary-list").inner_text()
    click(page, page.get_by_role("button", name="Yes, submit my review"))
    journey.audit("judge-review-submitted")
    review = Review.objects.get(assignment__proposal=proposal)
    assert review.status == ReviewStatus.SUBMITTED
    assert review.total == pytest.approx(100 * 4 / 5)
    sign_out(page)

    # 7. The manager sends the proposal to moderation, records it as the winner and announces the winners.
    sign_in_with_two_factor(page, live_server, manager, f"/admin/judging/{challenge.pk}/proposals/")
    page.get_by_label(f"Select {proposal.reference}").check()
    page.get_by_label("Move the selected proposals to").select_option(label="Moderation")
    click(page, page.get_by_role("button", name="Move selected proposals"))
    go(page, live_server, f"/admin/judging/{challenge.pk}/decisions/")
    journey.shot("manager-decisions")
    click(page, page.get_by_role("link", name=f"Decide {proposal.reference}"))
    page.get_by_label("Winner").check()
    page.get_by_label("Feedback for the supplier").fill("A clear, costed plan that outreach teams can use now.")
    page.get_by_label("Public rationale").fill("The quickest route from a report to an outreach visit.")
    journey.shot("manager-decision")
    click(page, page.get_by_role("button", name="Record the decision"))
    go(page, live_server, f"/admin/judging/{challenge.pk}/announce/")
    journey.shot("manager-announce")
    click(page, page.get_by_role("button", name="Announce the winners now"))
    journey.shot("manager-announced")
    challenge.refresh_from_db()
    assert challenge.announced_at is not None
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WINNER
    sign_out(page)

    # 8. A member of the public searches the archive, finds the winner and opens its page.
    go(page, live_server, "/")
    page.get_by_label("Search challenges and winners").fill("rough sleeping")
    click(page, page.get_by_role("button", name="Search the archive"))
    assert title(page).startswith("Search")
    journey.audit("public-archive-search")
    click(page, page.get_by_role("link", name="Street Link Now").first)
    assert heading(page) == "Street Link Now"
    main = page.locator("main").inner_text()
    assert "Brumtech Ltd" in main and "The quickest route from a report to an outreach visit." in main
    journey.audit("public-winner")
