"""A judge checks for a conflict, scores with the keyboard, fixes a mistake, checks and submits; the supplier then reads
the outcome and the public the winners. Every page is audited by axe-core and screenshotted."""

import pytest
from django.test import Client
from django.utils import timezone

from judging.models import Review, ReviewStatus
from judging.services.decisions import challenge_announce, decision_record
from submissions.models import ProposalStatus
from submissions.workflow import proposal_transition
from tests.factories import UserFactory
from tests.factories.challenges import make_manager
from tests.factories.judging import assign, closed_challenge, make_judge, seat
from tests.factories.submissions import make_proposal

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("built_assets"),
]


def sign_in_as(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def press(page, control, key: str = "Enter") -> None:
    """Operate a control from the keyboard and wait for the page it leads to."""
    control.focus()
    with page.expect_navigation():
        page.keyboard.press(key)
    page.wait_for_load_state("networkidle")


def go(page, live_server, path: str) -> None:
    page.goto(live_server.url + path)
    page.wait_for_load_state("networkidle")


@pytest.fixture
def judged(demo_site):
    challenge = closed_challenge(demo_site.sponsor_index, demo_site.challenge.sponsor, slug="judged-challenge")
    supplier = UserFactory(email="ada@brumtech.example", verified=True)
    proposal = make_proposal(challenge, supplier=supplier, title="Early warning for rent arrears")
    judge = make_judge(email="judge@panel.example", first_name="Priya", last_name="Sandhu")
    seat(challenge, judge)
    review = assign(proposal, judge, confirmed=False)
    return challenge, proposal, judge, supplier, review


def test_a_judge_scores_with_the_keyboard_and_the_supplier_reads_the_outcome(page, live_server, judged, axe):
    challenge, proposal, judge, supplier, review = judged
    sign_in_as(page, live_server, judge)
    go(page, live_server, "/judging/")
    axe.audit(page, "judge-dashboard")

    page.get_by_role("link", name=proposal.title).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("button", name="I have no conflict of interest").is_visible()
    assert "Our solution" not in page.content()  # nothing of the proposal before the conflict check
    axe.audit(page, "judge-conflict-check")
    press(page, page.get_by_role("button", name="I have no conflict of interest"))
    axe.audit(page, "judge-review")

    page.get_by_label("Impact: level 4").focus()
    page.keyboard.press("Space")
    press(page, page.get_by_role("button", name="Submit review"))

    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    assert "Write a comment on Impact" in summary.inner_text() and "Score Delivery" in summary.inner_text()
    assert page.get_by_label("Impact: level 4").is_checked()  # what was chosen is kept
    axe.audit(page, "judge-review-errors")

    page.get_by_label("Comment on Impact").focus()
    page.keyboard.type("Clear evidence of need.")
    page.get_by_label("Delivery: level 3").focus()
    page.keyboard.press("Space")
    press(page, page.get_by_role("button", name="Submit review"))
    assert page.get_by_role("heading", level=1).inner_text() == "Check your review before you submit it"
    scores = page.locator(".govuk-summary-list").inner_text()
    assert "4 out of 5" in scores and "Clear evidence of need." in scores and "3 out of 5" in scores
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.DRAFT  # not locked until confirmed
    axe.audit(page, "judge-review-check")
    press(page, page.get_by_role("button", name="Yes, submit my review"))
    review = Review.objects.get(pk=review.pk)
    assert review.status == ReviewStatus.SUBMITTED
    assert review.total == pytest.approx(100 * (2 * 4 / 5 + 3 / 5) / 3)
    axe.audit(page, "judge-review-submitted")

    go(page, live_server, "/judging/conflicts/")
    axe.audit(page, "judge-conflicts")

    manager = make_manager(challenge.sponsor)
    proposal_transition(proposal=proposal, to=ProposalStatus.MODERATION, by=manager)
    decision_record(
        proposal=proposal,
        outcome="winner",
        feedback="A clear, costed plan.",
        public_rationale="The surest route to fewer evictions.",
        by=manager,
    )
    challenge_announce(challenge=challenge, by=manager)
    assert challenge.__class__.objects.get(pk=challenge.pk).announced_at <= timezone.now()

    sign_in_as(page, live_server, supplier)
    go(page, live_server, f"/proposals/{proposal.pk}/")
    assert "A clear, costed plan." in page.content() and "Priya" not in page.content()
    axe.audit(page, "supplier-outcome")

    page.context.clear_cookies()
    go(page, live_server, challenge.url)
    assert "The surest route to fewer evictions." in page.locator("main").inner_text()
    axe.audit(page, "challenge-winners")
