"""Who may open the judges' pages. Only the assigned judge reads or scores a proposal; everyone else is sent to
sign in, or refused with a 403/404 that shows neither the proposal's title nor any of its answers."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from judging.models import Assignment, Conflict, Review, ReviewStatus, Score
from submissions.models import Attachment, ProposalStatus
from tests.judging.buttons import button_url

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a tiny plan\n"
TITLE = "Early warning for rent arrears"  # scene.proposal's title


def attach_plan(proposal, *, name: str = "plan.pdf") -> Attachment:
    """Upload a file for the proposal's file question and list it in its submitted version, as submitting does."""
    version = proposal.versions.get()
    question_id = next(
        item["id"] for block in version.questions for item in block["value"]["questions"] if item["type"] == "file"
    )
    attachment = Attachment(
        proposal=proposal,
        question_id=question_id,
        name=name,
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
        uploaded_by=proposal.created_by,
    )
    attachment.file.save(name, ContentFile(PDF), save=False)
    attachment.save()
    entry = {"attachment": attachment.pk, "name": name, "sha256": "0" * 64}
    version.files = [{"question_id": question_id, "size": len(PDF), **entry}]
    version.answers = {**version.answers, question_id: entry}
    version.save()
    return attachment


@pytest.fixture
def plan(scene):
    return attach_plan(scene.proposal)


def answer_text(proposal) -> str:
    return next(iter(proposal.answers.values()))


POSTS = {
    "confirm": {"action": "confirm"},
    "conflict": {"action": "conflict", "reason": "I advise them"},
    "save": {"action": "save", "score-impact": "1", "comment-impact": "Changed by someone else"},
    "submit": {
        "action": "submit",
        "score-impact": "1",
        "comment-impact": "Changed by someone else",
        "score-delivery": "1",
    },
    "yes, submit": {
        "action": "yes, submit",
        "score-impact": "1",
        "comment-impact": "Changed by someone else",
        "score-delivery": "1",
    },
}


def requests_for(assignment_id: int, attachment_id: int) -> list[tuple[str, str, dict]]:
    review_url = reverse("judging:review", args=[assignment_id])
    return [
        ("get", review_url, {}),
        *[("post", button_url(assignment_id, data["action"]), data) for data in POSTS.values()],
        ("get", reverse("judging:download", args=[assignment_id, attachment_id]), {}),
    ]


def assert_nothing_leaked(response, proposal) -> None:
    body = response.content.decode()
    assert proposal.title not in body
    assert answer_text(proposal) not in body
    assert "attachment" not in response.get("Content-Disposition", "")


def assert_nothing_changed(scene) -> None:
    assert Assignment.objects.filter(pk=scene.review.assignment_id).exists()
    assert not Conflict.objects.filter(proposal=scene.proposal).exists()
    assert not Score.objects.filter(review__assignment__proposal=scene.proposal).exists()
    assert Review.objects.get(pk=scene.review.pk).status == ReviewStatus.DRAFT


def test_anonymous_visitors_are_sent_to_sign_in(client, scene, plan):
    urls = [*requests_for(scene.review.assignment_id, plan.pk), ("get", reverse("judging:dashboard"), {})]
    urls += [
        ("get", reverse("judging:conflicts"), {}),
        ("get", reverse("judging:expertise", args=[scene.challenge.pk]), {}),
    ]
    for method, url, data in urls:
        response = getattr(client, method)(url, data)

        assert response.status_code == 302, (method, url)
        assert response.url.startswith(reverse("account_login")), url
        assert_nothing_leaked(response, scene.proposal)
    assert_nothing_changed(scene)


@pytest.mark.parametrize("role", ["supplier", "unassigned_judge", "other_judge", "other_manager", "manager"])
def test_nobody_but_the_assigned_judge_opens_an_assignment(client, scene, plan, role):
    client.force_login(getattr(scene, role))

    for method, url, data in requests_for(scene.review.assignment_id, plan.pk):
        response = getattr(client, method)(url, data)

        assert response.status_code == 404, (role, method, url, data)
        assert_nothing_leaked(response, scene.proposal)
    assert_nothing_changed(scene)


def test_a_conflicted_judge_is_refused_even_with_an_assignment_row(client, scene, plan):
    assignment = Assignment.objects.create(
        proposal=scene.proposal,
        stage=scene.proposal.stage,
        judge=scene.conflicted_judge,
        no_conflict_confirmed_at=timezone.now(),
    )
    Review.objects.create(assignment=assignment)
    client.force_login(scene.conflicted_judge)

    for method, url, data in requests_for(assignment.pk, plan.pk):
        response = getattr(client, method)(url, data)

        assert response.status_code == 403, (method, url, data)
        assert "You declared a conflict of interest with this proposal" in response.content.decode()
        assert_nothing_leaked(response, scene.proposal)
    assert not Score.objects.filter(review__assignment=assignment).exists()
    dashboard = client.get(reverse("judging:dashboard"))
    assert dashboard.status_code == 200
    assert TITLE not in dashboard.content.decode()


def test_the_assigned_judge_reads_the_proposal_and_its_file(client, scene, plan):
    client.force_login(scene.judges[0])

    page = client.get(reverse("judging:review", args=[scene.review.assignment_id]))
    download = client.get(reverse("judging:download", args=[scene.review.assignment_id, plan.pk]))
    dashboard = client.get(reverse("judging:dashboard"))

    assert page.status_code == 200
    assert answer_text(scene.proposal) in page.content.decode()
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Cache-Control"] == "private, no-store"
    assert dashboard.status_code == 200
    assert TITLE in dashboard.content.decode()


def test_a_judge_who_has_not_confirmed_no_conflict_sees_no_more_than_the_title(client, scene, plan):
    review = Review.objects.get(pk=scene.review.pk)
    Assignment.objects.filter(pk=review.assignment_id).update(no_conflict_confirmed_at=None)
    client.force_login(scene.judges[0])

    page = client.get(reverse("judging:review", args=[review.assignment_id]))
    download = client.get(reverse("judging:download", args=[review.assignment_id, plan.pk]))
    save = client.post(button_url(review.assignment_id, "save"), POSTS["save"])

    assert page.status_code == 200
    assert TITLE in page.content.decode()
    assert answer_text(scene.proposal) not in page.content.decode()
    assert download.status_code == 403
    assert save.status_code == 403
    assert "Confirm you have no conflict of interest before you read the proposal." in save.content.decode()
    assert not Score.objects.filter(review=review).exists()


def test_only_files_of_the_submitted_version_are_served(client, scene, plan):
    replaced = attach_plan(scene.proposal, name="later.pdf")
    version = scene.proposal.versions.get()
    version.files = [{**version.files[0], "attachment": plan.pk, "name": "plan.pdf"}]
    version.save()
    client.force_login(scene.judges[0])

    assert client.get(reverse("judging:download", args=[scene.review.assignment_id, replaced.pk])).status_code == 404
    other = attach_plan(scene.other_proposal)
    assert client.get(reverse("judging:download", args=[scene.review.assignment_id, other.pk])).status_code == 404
    assert client.get(reverse("judging:download", args=[scene.review.assignment_id, plan.pk])).status_code == 200


def test_a_proposal_that_left_review_is_refused(client, scene, plan):
    scene.proposal.status = ProposalStatus.SHORTLISTED
    scene.proposal.save()
    client.force_login(scene.judges[0])

    for method, url, data in requests_for(scene.review.assignment_id, plan.pk):
        response = getattr(client, method)(url, data)

        assert response.status_code == 403, (method, url, data)
        assert "This proposal is no longer being reviewed." in response.content.decode()
        assert_nothing_leaked(response, scene.proposal)
    assert_nothing_changed(scene)
    dashboard = client.get(reverse("judging:dashboard")).content.decode()
    assert reverse("judging:review", args=[scene.review.assignment_id]) not in dashboard


@pytest.mark.parametrize("role", ["supplier", "other_manager"])
def test_people_on_no_panel_are_told_the_judging_pages_are_for_judges(client, scene, role):
    client.force_login(getattr(scene, role))

    for url in (reverse("judging:dashboard"), reverse("judging:conflicts")):
        response = client.get(url)

        assert response.status_code == 403
        assert "Only judges can use these pages." in response.content.decode()
        assert TITLE not in response.content.decode()
    assert client.get(reverse("judging:expertise", args=[scene.challenge.pk])).status_code == 404


def test_a_judge_of_another_challenge_sees_none_of_this_one(client, scene):
    client.force_login(scene.other_judge)

    dashboard = client.get(reverse("judging:dashboard"))

    assert dashboard.status_code == 200
    assert TITLE not in dashboard.content.decode()
    assert scene.challenge.title not in dashboard.content.decode()
    assert client.get(reverse("judging:expertise", args=[scene.challenge.pk])).status_code == 404
