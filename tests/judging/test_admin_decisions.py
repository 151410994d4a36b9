"""One proposal's staff page, recording decisions, reopening reviews and announcing the winners, in the Wagtail
admin: what the manager sees, the errors bad input gets (with what they typed kept), and what changes."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import Event
from challenges.lifecycle import ChallengeStatus
from challenges.models import ChallengePage
from judging.models import Decision, ReviewStatus
from judging.services.decisions import decision_record
from submissions.models import ProposalStatus as S
from submissions.workflow import proposal_transition
from tests.factories import MembershipFactory
from tests.factories.judging import assign, make_judge, score, seat
from tests.factories.submissions import make_proposal


def url(name: str, *args) -> str:
    return reverse(f"judging_admin:{name}", args=args)


def text_of(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


@pytest.fixture
def moderated(scene):
    """Both proposals reviewed once and moved to moderation."""
    score(scene.review, 4, 2, comment="Costed and credible.")
    score(scene.other_proposal.assignments.get().review, 2, 3)
    for proposal in (scene.proposal, scene.other_proposal):
        proposal_transition(proposal=proposal, to=S.MODERATION, by=scene.manager)
    return scene


def blockers_of(response) -> list[dict]:
    """Each blocker the page lists: its words (spaces collapsed), where its links go, and their text."""
    listing = BeautifulSoup(response.content, "html.parser").find(id="blockers")
    return [
        {
            "text": " ".join(item.get_text().split()),
            "links": [(link.get_text(strip=True), link["href"]) for link in item.find_all("a")],
        }
        for item in listing.find_all("li", recursive=False)
    ]


def decide(client, scene, **data):
    return client.post(url("proposal", scene.challenge.pk, scene.proposal.pk), data)


def test_the_proposal_page_shows_answers_reviews_and_the_audit_log(moderated, manager_client):
    scene = moderated
    response = manager_client.get(url("proposal", scene.challenge.pk, scene.proposal.pk))
    assert response.status_code == 200
    text = text_of(response)
    proposal = scene.proposal
    assert f"{proposal.reference}: {proposal.title}" in text
    assert proposal.organisation.name in text and "Moderation" in text
    assert f"Describe your solution {proposal.answers[next(iter(proposal.answers))]}" in text
    judge = scene.judges[0]
    assert f"Review by {judge.get_full_name()} <{judge.email}>" in text
    assert "Total: 66.7 out of 100" in text
    assert "Impact 4 out of 5 Costed and credible." in text and "Delivery 2 out of 5" in text
    audit = text.split("Audit log", 1)[1]
    assert "Sent to moderation In assessment → Moderation" in audit
    assert "Reviews can be reopened only while" not in text


def test_a_proposal_of_another_challenge_is_not_found_here(scene, manager_client):
    elsewhere = make_proposal(scene.other_challenge, title="Salford proposal")
    assert manager_client.get(url("proposal", scene.challenge.pk, elsewhere.pk)).status_code == 404
    assert decide(manager_client, scene, outcome="winner").status_code == 200
    response = manager_client.post(url("proposal", scene.challenge.pk, elsewhere.pk), {"outcome": "winner"})
    assert response.status_code == 404
    review = assign(elsewhere, scene.other_judge)
    score(review, 1, 1)
    response = manager_client.post(
        url("review_reopen", scene.challenge.pk, review.pk), {f"review-{review.pk}-reason": "x"}
    )
    assert response.status_code == 404
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED


def test_a_winner_without_a_rationale_gets_a_field_error_and_keeps_the_text(moderated, manager_client):
    scene = moderated
    response = decide(manager_client, scene, outcome="winner", feedback="A strong, costed plan.", public_rationale=" ")
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    rationale = page.find("textarea", attrs={"name": "public_rationale"})
    error = page.find(id=rationale["aria-describedby"].split()[0])
    assert "Give the public rationale for this award: it is published with the winners." in error.get_text()
    assert page.find("textarea", attrs={"name": "feedback"}).get_text().strip() == "A strong, costed plan."
    assert page.find("input", attrs={"name": "outcome", "value": "winner"}).has_attr("checked")
    assert "The decision has not been recorded." in text_of(response)
    scene.proposal.refresh_from_db()
    assert scene.proposal.status == S.MODERATION and not Decision.objects.exists()


def test_an_outcome_and_feedback_are_required(moderated, manager_client):
    response = decide(manager_client, moderated, feedback="", public_rationale="Kept")
    page = BeautifulSoup(response.content, "html.parser")
    outcome = next(legend for legend in page.find_all("legend") if "Outcome" in legend.get_text()).parent
    assert "Choose an outcome." in page.find(id=outcome["aria-describedby"]).get_text()
    assert page.find("textarea", attrs={"name": "public_rationale"}).get_text().strip() == "Kept"
    response = decide(manager_client, moderated, outcome="not_selected", feedback="  ")
    assert "Write the feedback the supplier will receive." in text_of(response)
    assert not Decision.objects.exists()


def test_recording_a_winner_walks_through_shortlisted(moderated, manager_client):
    scene = moderated
    response = decide(
        manager_client,
        scene,
        outcome="winner",
        feedback="A strong, costed plan.",
        public_rationale="The clearest route to fewer evictions.",
    )
    assert response.status_code == 302 and response["Location"] == url("decisions", scene.challenge.pk)
    scene.proposal.refresh_from_db()
    assert scene.proposal.status == S.WINNER
    verbs = list(Event.objects.filter(proposal_id=scene.proposal.pk).values_list("verb", flat=True))
    assert verbs[-3:] == ["shortlisted", "chosen as a winner", "decision recorded"]
    page = manager_client.get(response["Location"])
    text = text_of(page)
    assert f"Decision recorded for {scene.proposal.reference}: Winner." in text
    rows = BeautifulSoup(page.content, "html.parser").find("table", id="decisions").tbody.find_all("tr")
    cells = [[cell.get_text(" ", strip=True) for cell in row.find_all("td")] for row in rows]
    assert cells[0][1:3] == [scene.proposal.reference, scene.proposal.title]
    assert cells[0][5:8] == ["\N{EN DASH}", "Winner", "A strong, costed plan."]
    assert cells[1][6] == "Not decided"
    other = scene.other_proposal
    assert blockers_of(page) == [
        {
            "text": f"Decide this proposal on the Decisions tab: {other.reference} {other.title}",
            "links": [
                ("Decisions tab", url("decisions", scene.challenge.pk)),
                (other.reference, url("proposal", scene.challenge.pk, other.pk)),
            ],
        }
    ]


def test_announcing_with_blockers_lists_them_and_changes_nothing(
    moderated, manager_client, django_capture_on_commit_callbacks
):
    scene = moderated
    decision_record(proposal=scene.proposal, outcome="not_selected", feedback="Too costly.", by=scene.manager)
    other = scene.other_proposal
    expected = [
        {
            "text": f"Decide this proposal on the Decisions tab: {other.reference} {other.title}",
            "links": [
                ("Decisions tab", url("decisions", scene.challenge.pk)),
                (other.reference, url("proposal", scene.challenge.pk, other.pk)),
            ],
        }
    ]
    page = manager_client.get(url("announce", scene.challenge.pk))
    assert blockers_of(page) == expected
    assert b"Announce the winners now</button>" not in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(url("announce", scene.challenge.pk))
    assert response.status_code == 200
    assert blockers_of(response) == expected
    assert "The winners have not been announced. Do what is listed below first." in text_of(response)
    assert mail.outbox == []
    assert ChallengePage.objects.get(pk=scene.challenge.pk).announced_at is None


def test_announcing_emails_every_supplier_member_once(moderated, manager_client, django_capture_on_commit_callbacks):
    scene = moderated
    colleague = MembershipFactory(organisation=scene.proposal.organisation).user
    decision_record(
        proposal=scene.proposal,
        outcome="winner",
        feedback="Great.",
        public_rationale="Clearest plan.",
        by=scene.manager,
    )
    decision_record(proposal=scene.other_proposal, outcome="not_selected", feedback="Too costly.", by=scene.manager)
    decisions = text_of(manager_client.get(url("decisions", scene.challenge.pk)))
    assert "Every proposal has a decision: the winners can be announced." in decisions
    confirm = manager_client.get(url("announce", scene.challenge.pk))
    assert "3 people at 2 suppliers will be emailed their outcome and feedback." in text_of(confirm)
    assert "1 winner will be published" in text_of(confirm)

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(url("announce", scene.challenge.pk), follow=True)
    text = text_of(response)
    assert "Winners announced: 3 emails queued." in text
    recipients = sorted(message.to[0] for message in mail.outbox)
    members = sorted([scene.supplier.email, colleague.email, scene.other_proposal.created_by.email])
    assert recipients == members

    with django_capture_on_commit_callbacks(execute=True):
        again = manager_client.post(url("announce", scene.challenge.pk), follow=True)
    assert "The winners were already announced" in text_of(again)
    assert sorted(message.to[0] for message in mail.outbox) == members

    challenge = ChallengePage.objects.get(pk=scene.challenge.pk)
    assert challenge.status == ChallengeStatus.WINNERS_ANNOUNCED
    assert challenge.announced_at is not None
    assert set(Decision.objects.values_list("announced_at", flat=True)) == {challenge.announced_at}
    assert "Winners announced at" in text and "Announce the winners now" not in text
    proposal_page = manager_client.get(url("proposal", scene.challenge.pk, scene.proposal.pk))
    page = BeautifulSoup(proposal_page.content, "html.parser")
    assert page.find("textarea", attrs={"name": "feedback"}) is None
    assert page.find("input", attrs={"name": "outcome"}) is None
    assert "decisions can no longer change" in text_of(proposal_page)
    late = decide(manager_client, scene, outcome="not_selected", feedback="Changed my mind")
    assert "decisions can no longer change" in text_of(late)
    assert Decision.objects.get(proposal=scene.proposal).outcome == "winner"


def reopen(client, scene, review, reason):
    return client.post(url("review_reopen", scene.challenge.pk, review.pk), {f"review-{review.pk}-reason": reason})


def test_reopening_a_review_needs_a_reason(scene, manager_client, django_capture_on_commit_callbacks):
    score(scene.review, 4, 2)
    with django_capture_on_commit_callbacks(execute=True):
        response = reopen(manager_client, scene, scene.review, "   ")
    assert response.status_code == 200
    form = BeautifulSoup(response.content, "html.parser").find(
        "textarea", attrs={"name": f"review-{scene.review.pk}-reason"}
    )
    error = BeautifulSoup(response.content, "html.parser").find(id=form["aria-describedby"].split()[0])
    assert "Say why the review is being reopened: the judge is told." in error.get_text()
    assert form.get_text().lstrip("\n") == "   "
    assert "The review has not been reopened." in text_of(response)
    scene.review.refresh_from_db()
    assert scene.review.status == ReviewStatus.SUBMITTED and mail.outbox == []


def test_reopening_a_review_makes_it_a_draft_and_emails_the_judge(
    scene, manager_client, django_capture_on_commit_callbacks
):
    score(scene.review, 4, 2)
    assert manager_client.get(url("review_reopen", scene.challenge.pk, scene.review.pk)).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = reopen(manager_client, scene, scene.review, "Please look at the revised budget")
    assert response.status_code == 302
    assert response["Location"] == url("proposal", scene.challenge.pk, scene.proposal.pk)
    scene.review.refresh_from_db()
    assert scene.review.status == ReviewStatus.DRAFT and scene.review.total is None
    assert [message.to for message in mail.outbox] == [[scene.judges[0].email]]
    assert "Please look at the revised budget" in mail.outbox[0].body
    page = text_of(manager_client.get(response["Location"]))
    assert "is open again. The judge has been emailed your reason." in page
    assert "Reopen this review" not in page


def queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_proposal_and_decisions_pages_query_count_does_not_grow(moderated, manager_client):
    scene = moderated
    proposal_page = url("proposal", scene.challenge.pk, scene.proposal.pk)
    decisions_page = url("decisions", scene.challenge.pk)
    decision_record(proposal=scene.other_proposal, outcome="not_selected", feedback="No.", by=scene.manager)
    few = queries(manager_client, proposal_page), queries(manager_client, decisions_page)
    panel = [make_judge() for _ in range(3)]
    seat(scene.challenge, *panel)
    for judge in panel:
        score(assign(scene.proposal, judge), 3, 3)
    for _ in range(4):
        proposal = make_proposal(scene.challenge, status=S.MODERATION)
        score(assign(proposal, panel[0]), 2, 2)
        decision_record(proposal=proposal, outcome="not_selected", feedback="No.", by=scene.manager)
    assert scene.proposal.assignments.count() == 4
    assert (queries(manager_client, proposal_page), queries(manager_client, decisions_page)) == few


def assert_refused(response) -> None:
    """403, or Wagtail's admin redirect: to sign in for people who may not use the admin, to the dashboard for
    staff the view refuses."""
    if response.status_code == 403:
        return
    assert response.status_code == 302
    assert response["Location"].startswith((reverse("account_login"), reverse("wagtailadmin_home")))


@pytest.mark.parametrize("who", ["other_manager", "judge", "supplier", "anonymous"])
def test_only_the_challenges_managers_decide_reopen_or_announce(
    moderated, client, who, django_capture_on_commit_callbacks
):
    scene = moderated
    if who != "anonymous":
        client.force_login(
            {"other_manager": scene.other_manager, "judge": scene.judges[0], "supplier": scene.supplier}[who]
        )
    decision_record(proposal=scene.other_proposal, outcome="not_selected", feedback="No.", by=scene.manager)
    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            decide(client, scene, outcome="winner", feedback="Yes", public_rationale="Because"),
            reopen(client, scene, scene.review, "Recheck"),
            client.post(url("announce", scene.challenge.pk)),
        ]
    for response in responses:
        assert_refused(response)
        if who == "anonymous":
            assert response["Location"].startswith(reverse("account_login"))
    scene.proposal.refresh_from_db()
    scene.review.refresh_from_db()
    assert scene.proposal.status == S.MODERATION
    assert not Decision.objects.filter(proposal=scene.proposal).exists()
    assert scene.review.status == ReviewStatus.SUBMITTED
    assert ChallengePage.objects.get(pk=scene.challenge.pk).announced_at is None
    assert mail.outbox == []
