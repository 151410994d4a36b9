"""The review page as a judge uses it: the conflict check, reading the proposal, saving a draft, fixing what a
submission lacks without retyping anything, submitting (which locks the review), and declaring a conflict."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from audit.models import Event
from judging.models import Assignment, Conflict, Review, ReviewStatus, Score
from tests.factories.judging import assign, score
from tests.judging.buttons import check_page_form, confirm_submission, press

pytestmark = pytest.mark.django_db

DASH = " \N{EN DASH} "


def url(assignment_id: int) -> str:
    return reverse("judging:review", args=[assignment_id])


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def checked(page: BeautifulSoup, name: str) -> str | None:
    radio = page.find("input", attrs={"name": name, "checked": True})
    return radio["value"] if radio else None


def textarea(page: BeautifulSoup, name: str) -> str:
    return page.find("textarea", attrs={"name": name}).get_text()


def error_summary(page: BeautifulSoup) -> list[tuple[str, str]]:
    summary = page.find(class_="govuk-error-summary")
    return [(link["href"], link.get_text(strip=True)) for link in summary.find_all("a")] if summary else []


def banner(page: BeautifulSoup) -> str:
    return " ".join(node.get_text(" ", strip=True) for node in page.find_all(class_="govuk-notification-banner"))


@pytest.fixture
def unconfirmed(scene):
    """judges[0] with a second, unconfirmed assignment: scene.other_proposal."""
    return assign(scene.other_proposal, scene.judges[0], confirmed=False)


@pytest.fixture
def judge(client, scene):
    client.force_login(scene.judges[0])
    return scene.judges[0]


def test_the_conflict_check_shows_only_reference_title_and_organisation(client, scene, unconfirmed, judge):
    page = client.get(url(unconfirmed.assignment_id))

    assert page.status_code == 200
    html = soup(page)
    assert html.h1.get_text(strip=True) == "Do you have a conflict of interest?"
    body = page.content.decode()
    for shown in (scene.other_proposal.reference, scene.other_proposal.title, scene.other_proposal.organisation.name):
        assert shown in body
    assert next(iter(scene.other_proposal.answers.values())) not in body
    assert scene.other_proposal.public_summary not in body
    buttons = [button.get_text(strip=True) for button in html.main.find_all("button")]
    assert buttons == ["I have no conflict of interest", "I have a conflict"]
    assert html.find("label", attrs={"for": "id_reason"}).get_text(strip=True) == "Describe your conflict of interest"


def test_confirming_no_conflict_opens_the_proposal(client, scene, unconfirmed, judge):
    response = press(client, unconfirmed.assignment_id, {"action": "confirm"})

    assert response.status_code == 302
    assert response.url == url(unconfirmed.assignment_id)
    assert Assignment.objects.get(pk=unconfirmed.assignment_id).no_conflict_confirmed_at is not None
    assert Event.objects.filter(proposal_id=scene.other_proposal.pk, verb="confirmed no conflict").exists()
    page = client.get(response.url)
    assert "You have confirmed you have no conflict of interest." in banner(soup(page))
    assert next(iter(scene.other_proposal.answers.values())) in page.content.decode()
    assert scene.other_proposal.public_summary in page.content.decode()


def test_declaring_a_conflict_needs_a_reason_and_keeps_the_assignment_until_given(client, scene, unconfirmed, judge):
    response = press(client, unconfirmed.assignment_id, {"action": "conflict", "reason": "  "})

    assert response.status_code == 400
    html = soup(response)
    assert html.title.get_text().startswith("Error: ")
    assert error_summary(html) == [("#id_reason", "Describe your conflict of interest with this proposal")]
    assert Assignment.objects.filter(pk=unconfirmed.assignment_id).exists()
    assert not Conflict.objects.filter(judge=judge).exists()


def test_declaring_a_conflict_takes_the_proposal_off_the_judges_list(client, scene, unconfirmed, judge):
    response = press(client, unconfirmed.assignment_id, {"action": "conflict", "reason": "My sister runs it"})

    assert response.status_code == 302
    assert response.url == reverse("judging:dashboard")
    assert not Assignment.objects.filter(pk=unconfirmed.assignment_id).exists()
    conflict = Conflict.objects.get(judge=judge)
    assert (conflict.proposal, conflict.reason) == (scene.other_proposal, "My sister runs it")
    dashboard = client.get(response.url)
    assert f"You declared a conflict of interest with {scene.other_proposal.reference}." in banner(soup(dashboard))
    assert scene.other_proposal.title not in dashboard.content.decode()
    assert client.get(url(unconfirmed.assignment_id)).status_code == 404


def test_the_scoring_form_follows_the_rubric(client, scene, judge):
    page = soup(client.get(url(scene.review.assignment_id)))

    legends = [legend.get_text(strip=True) for legend in page.find_all("legend")]
    assert legends == ["Impact", "Delivery"]
    assert page.find(id="score-impact-hint").get_text(strip=True) == "How well does the proposal show impact?"
    labels = [
        page.find("label", attrs={"for": radio["id"]}).get_text(strip=True)
        for radio in page.select("[name=score-impact]")
    ]
    assert labels == [f"{n}{DASH}Impact: level {n}" for n in range(6)]
    assert page.find("label", attrs={"for": "comment-impact"}).get_text(strip=True) == "Comment on Impact"
    assert (
        page.find("label", attrs={"for": "comment-delivery"}).get_text(strip=True) == "Comment on Delivery (optional)"
    )
    buttons = [button.get_text(strip=True) for button in page.main.find_all("button")]
    assert buttons[:2] == ["Save draft", "Submit review"]


def test_a_saved_draft_keeps_every_value(client, scene, judge):
    data = {
        "action": "save",
        "score-impact": "3",
        "comment-impact": "Clear plan,\nweak evidence",
        "comment-delivery": "",
    }

    response = press(client, scene.review.assignment_id, data)

    assert response.status_code == 302
    assert response.url == url(scene.review.assignment_id)
    assert Score.objects.get(review=scene.review, criterion_id="impact").value == 3
    page = soup(client.get(response.url))
    assert "Your draft review of" in banner(page)
    assert checked(page, "score-impact") == "3"
    assert checked(page, "score-delivery") is None
    assert textarea(page, "comment-impact").strip() == "Clear plan,\nweak evidence"
    assert Review.objects.get(pk=scene.review.pk).status == ReviewStatus.DRAFT


def test_submitting_with_a_missing_score_shows_the_problem_and_keeps_the_rest(client, scene, judge):
    data = {"action": "submit", "score-impact": "4", "comment-impact": "Strong evidence", "comment-delivery": "Vague"}

    response = press(client, scene.review.assignment_id, data)

    assert response.status_code == 400
    page = soup(response)
    assert page.title.get_text().startswith("Error: ")
    assert error_summary(page) == [("#score-delivery", "Score Delivery")]
    assert page.find(id="score-delivery"), "the error summary's link must land on the first radio"
    assert page.find(id="score-delivery-error").get_text(" ", strip=True) == "Error: Score Delivery"
    assert checked(page, "score-impact") == "4"
    assert textarea(page, "comment-impact").strip() == "Strong evidence"
    assert textarea(page, "comment-delivery").strip() == "Vague"
    assert "saved as a draft" in page.get_text()
    review = Review.objects.get(pk=scene.review.pk)
    assert review.status == ReviewStatus.DRAFT
    assert review.scores.get(criterion_id="impact").value == 4


def test_a_required_comment_is_asked_for_on_its_own_field(client, scene, judge):
    data = {"action": "submit", "score-impact": "4", "comment-impact": "", "score-delivery": "2"}

    page = soup(press(client, scene.review.assignment_id, data))

    assert error_summary(page) == [("#comment-impact", "Write a comment on Impact")]
    assert checked(page, "score-delivery") == "2"


def test_a_score_outside_the_scale_is_refused(client, scene, judge):
    data = {"action": "save", "score-impact": "9", "score-delivery": "2"}

    response = press(client, scene.review.assignment_id, data)

    assert response.status_code == 400
    assert error_summary(soup(response)) == [("#score-impact", "Score Impact from 0 to 5")]
    assert not Score.objects.filter(review=scene.review).exists()


def summary_rows(page: BeautifulSoup) -> list[list[str]]:
    return [
        [" ".join(cell.get_text(" ").split()) for cell in row.find_all(["dt", "dd"])]
        for row in page.find_all(class_="govuk-summary-list__row")
    ]


def test_submit_review_first_shows_the_scores_to_check_and_locks_nothing(client, scene, judge):
    data = {
        "action": "submit",
        "score-impact": "4",
        "comment-impact": "  Strong evidence,\nclear costs  ",
        "score-delivery": "2",
        "comment-delivery": "",
    }

    response = press(client, scene.review.assignment_id, data, confirm=False)

    assert response.status_code == 200
    page = soup(response)
    assert page.h1.get_text(strip=True) == "Check your review before you submit it"
    assert page.title.get_text().startswith(f"Check your review of {scene.proposal.reference} before you submit it")
    review_page = url(scene.review.assignment_id)
    assert summary_rows(page) == [
        ["Impact", f"4 out of 5{DASH}Impact: level 4 Strong evidence, clear costs", "Change Impact"],
        ["Delivery", f"2 out of 5{DASH}Delivery: level 2 No comment", "Change Delivery"],
    ]
    changes = [link["href"] for link in page.select(".govuk-summary-list__actions a")]
    assert changes == [f"{review_page}#score-impact", f"{review_page}#score-delivery"]
    warning = page.find(class_="govuk-warning-text").get_text(" ", strip=True)
    assert "You cannot change your review after you submit it." in warning
    form = check_page_form(response)
    assert form["action"] == reverse("judging:confirm_submit", args=[scene.review.assignment_id])
    assert form.find("button", string="Yes, submit my review")["class"] == ["govuk-button"]
    back = page.find("a", string="Go back and change it")
    assert back["href"] == review_page

    # Nothing is locked, and nothing typed is lost: going back shows every value as entered.
    review = Review.objects.get(pk=scene.review.pk)
    assert (review.status, review.submitted_at, review.total) == (ReviewStatus.DRAFT, None, None)
    assert not Event.objects.filter(verb="review submitted").exists()
    again = soup(client.get(back["href"]))
    assert checked(again, "score-impact") == "4" and checked(again, "score-delivery") == "2"
    assert textarea(again, "comment-impact").strip() == "Strong evidence,\nclear costs"
    assert again.find("button", string="Submit review") is not None


def test_yes_submit_my_review_submits_exactly_the_scores_shown(client, scene, judge):
    data = {"action": "submit", "score-impact": "5", "comment-impact": "Outstanding", "score-delivery": "3"}
    check = press(client, scene.review.assignment_id, data, confirm=False)

    response = confirm_submission(client, check)

    assert response.status_code == 302
    assert response.url == reverse("judging:dashboard")
    review = Review.objects.get(pk=scene.review.pk)
    assert review.status == ReviewStatus.SUBMITTED
    assert {s.criterion_id: (s.value, s.comment) for s in review.scores.all()} == {
        "impact": (5, "Outstanding"),
        "delivery": (3, ""),
    }
    assert Event.objects.filter(verb="review submitted", proposal_id=scene.proposal.pk).count() == 1


def test_an_incomplete_review_never_reaches_the_check_and_a_forged_confirmation_locks_nothing(client, scene, judge):
    incomplete = {"action": "submit", "score-impact": "4", "comment-impact": "Strong"}
    assert check_page_form(press(client, scene.review.assignment_id, incomplete, confirm=False)) is None

    forged = press(client, scene.review.assignment_id, {**incomplete, "action": "yes, submit"})

    assert forged.status_code == 400
    assert error_summary(soup(forged)) == [("#score-delivery", "Score Delivery")]
    assert Review.objects.get(pk=scene.review.pk).status == ReviewStatus.DRAFT


def test_submitting_locks_the_review(client, scene, judge):
    data = {"action": "submit", "score-impact": "4", "comment-impact": "Strong", "score-delivery": "2"}

    check = press(client, scene.review.assignment_id, data, confirm=False)
    assert check_page_form(check) is not None
    assert Review.objects.get(pk=scene.review.pk).status == ReviewStatus.DRAFT
    response = confirm_submission(client, check)

    assert response.status_code == 302
    assert response.url == reverse("judging:dashboard")
    review = Review.objects.get(pk=scene.review.pk)
    assert review.status == ReviewStatus.SUBMITTED
    assert review.total == pytest.approx(100 * (2 * 4 / 5 + 2 / 5) / 3)
    dashboard = soup(client.get(response.url))
    assert f"Your review of {scene.proposal.reference} has been submitted." in banner(dashboard)
    assert "1 of 1 review submitted" in dashboard.get_text()

    page = soup(client.get(url(scene.review.assignment_id)))
    assert "Submitted on " in page.get_text()
    assert page.find("form") is None or not page.find("button", attrs={"value": "save"})
    assert not page.find("input", attrs={"type": "radio"})
    assert f"4 out of 5{DASH}Impact: level 4" in " ".join(page.get_text(" ").split())

    for action in ("save", "submit"):
        later = press(client, scene.review.assignment_id, {**data, "action": action, "score-impact": "0"})
        assert later.status_code == 403
        assert "You have submitted this review." in later.content.decode()
    conflict = press(client, scene.review.assignment_id, {"action": "conflict", "reason": "Too late"})
    assert conflict.status_code == 403
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    assert review.scores.get(criterion_id="impact").value == 4
    assert Assignment.objects.filter(pk=scene.review.assignment_id).exists()


def test_a_conflict_found_while_reading_can_still_be_declared(client, scene, judge):
    score(scene.review, 3, 3, submit=False)
    missing = press(client, scene.review.assignment_id, {"action": "conflict", "reason": ""})

    assert missing.status_code == 400
    page = soup(missing)
    assert error_summary(page) == [("#id_reason", "Describe your conflict of interest with this proposal")]
    assert page.find("details").has_attr("open")
    assert checked(page, "score-impact") == "3", "the saved draft is still shown"
    assert Assignment.objects.filter(pk=scene.review.assignment_id).exists()

    declared = press(
        client, scene.review.assignment_id, {"action": "conflict", "reason": "They have just hired my partner"}
    )

    assert declared.status_code == 302
    assert not Assignment.objects.filter(pk=scene.review.assignment_id).exists()
    assert not Score.objects.filter(review_id=scene.review.pk).exists()
    assert Conflict.objects.get(judge=judge, proposal=scene.proposal).reason == "They have just hired my partner"
