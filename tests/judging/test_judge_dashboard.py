"""A judge's list of assignments: grouped by challenge with the due date and progress, each with its status, never
a conflicted proposal, and in the same number of queries however many assignments there are."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from judging.models import Assignment, Review
from submissions.models import ProposalStatus
from tests.factories.judging import assign, closed_challenge, conflict, make_judge, score, seat
from tests.factories.submissions import make_proposal

pytestmark = pytest.mark.django_db


def rows(response) -> list[list[str]]:
    """Each assignment's card as [reference, proposal, organisation (unless blind), status]."""
    page = BeautifulSoup(response.content, "html.parser")

    def words(tag) -> str:
        return " ".join(tag.get_text(" ", strip=True).split())

    return [
        [
            words(card.find(class_="govuk-summary-list__value")),
            words(card.find(class_="govuk-summary-card__title")),
            *(words(value) for value in card.find_all(class_="govuk-summary-list__value")[1:]),
        ]
        for card in page.find_all(class_="govuk-summary-card")
    ]


def text(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").main.get_text(" ", strip=True).split())


def test_each_assignment_shows_its_status_and_the_challenge_its_progress(client, scene):
    judge = scene.judges[0]
    started = scene.review
    score(started, 3, 2, submit=False)
    fresh = assign(make_proposal(scene.challenge, title="Fresh proposal"), judge)
    unchecked = assign(make_proposal(scene.challenge, title="Unchecked proposal"), judge, confirmed=False)
    done = score(assign(make_proposal(scene.challenge, title="Finished proposal"), judge), 4, 4)
    client.force_login(judge)

    response = client.get(reverse("judging:dashboard"))

    assert response.status_code == 200
    org = {review.pk: review.assignment.proposal.organisation.name for review in (started, fresh, unchecked, done)}
    ref = {review.pk: review.assignment.proposal.reference for review in (started, fresh, unchecked, done)}
    assert sorted(rows(response)) == sorted(
        [
            [ref[started.pk], "Early warning for rent arrears", org[started.pk], "Draft"],
            [ref[fresh.pk], "Fresh proposal", org[fresh.pk], "Not started"],
            [ref[unchecked.pk], "Unchecked proposal", org[unchecked.pk], "Conflict check needed"],
            [ref[done.pk], "Finished proposal", org[done.pk], "Submitted"],
        ]
    )
    page = text(response)
    assert "Your assignments" in page
    assert scene.challenge.title in page
    assert "1 of 4 reviews submitted" in page
    assert "Overdue" not in page
    link = BeautifulSoup(response.content, "html.parser").find("a", string="Fresh proposal")
    assert link["href"] == reverse("judging:review", args=[fresh.assignment_id])


def test_overdue_when_the_due_date_has_passed_with_reviews_outstanding(client, sponsor_index, sponsor):
    now = timezone.now()
    challenge = closed_challenge(
        sponsor_index,
        sponsor,
        opens_at=now - timedelta(days=30),
        closes_at=now - timedelta(days=10),
        judging_starts_at=now - timedelta(days=9),
        judging_ends_at=now - timedelta(hours=1),
    )
    judge = make_judge()
    seat(challenge, judge)
    review = assign(make_proposal(challenge), judge)
    client.force_login(judge)

    assert "Overdue" in text(client.get(reverse("judging:dashboard")))

    score(review, 1, 1)
    assert "Overdue" not in text(client.get(reverse("judging:dashboard")))


def test_conflicted_and_finished_proposals(client, scene):
    judge = scene.judges[0]
    conflicted = make_proposal(scene.challenge, title="Conflicted proposal")
    assign(conflicted, judge)
    conflict(judge, proposal=conflicted)
    shortlisted_unsubmitted = make_proposal(
        scene.challenge, title="Moved on unscored", status=ProposalStatus.SHORTLISTED
    )
    assign(shortlisted_unsubmitted, judge)
    shortlisted_submitted = make_proposal(scene.challenge, title="Moved on scored", status=ProposalStatus.SHORTLISTED)
    score(assign(shortlisted_submitted, judge), 2, 2)
    client.force_login(judge)

    response = client.get(reverse("judging:dashboard"))

    page = text(response)
    assert "Conflicted proposal" not in page
    assert "Moved on unscored" not in page
    assert "Moved on scored No longer being reviewed" in page
    assert BeautifulSoup(response.content, "html.parser").find("a", string="Moved on scored") is None


def test_a_new_panel_member_is_told_nothing_is_assigned_yet(client, scene):
    client.force_login(scene.unassigned_judge)

    page = text(client.get(reverse("judging:dashboard")))

    assert scene.challenge.title in page
    assert "No proposals have been assigned to you yet." in page


def test_the_query_count_does_not_grow_with_assignments(client, sponsor_index, sponsor):
    judge = make_judge()
    challenges = [closed_challenge(sponsor_index, sponsor, title=f"Challenge {n}") for n in range(2)]
    seat(challenges[0], judge)
    seat(challenges[1], judge)
    client.force_login(judge)
    url = reverse("judging:dashboard")

    def add(count: int) -> None:
        for n in range(count):
            challenge = challenges[n % 2]
            review = assign(make_proposal(challenge), judge, confirmed=n % 3 != 0)
            if n % 4 == 1:
                score(review, 3, 3, submit=n % 8 == 1)

    def queries() -> int:
        client.get(url)  # the session and the two-factor check settle on the first request
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured), len(rows(response))

    add(2)
    small, shown = queries()
    assert shown == 2
    add(6)
    large, shown = queries()
    assert shown == 8
    assert Assignment.objects.filter(judge=judge).count() == 8 == Review.objects.filter(assignment__judge=judge).count()
    assert large == small


def test_the_navigation_offers_judges_their_assignments_and_nobody_else(client, scene):
    client.force_login(scene.judges[0])
    assert ">Your assignments<" in client.get(reverse("submissions:dashboard")).content.decode()
    client.force_login(scene.supplier)
    assert "Your assignments" not in client.get(reverse("submissions:dashboard")).content.decode()
