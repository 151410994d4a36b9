"""What a supplier sees of judging: "Submitted" until the winners are announced, then the outcome and feedback,
and never who judged it or how it scored. A submitted proposal may be withdrawn until the winners are announced,
whatever has been decided, so nothing before the announcement differs by outcome."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import Event
from judging.services.decisions import challenge_announce, decision_record
from submissions.models import ProposalStatus as S
from submissions.workflow import proposal_transition
from tests.factories import UserFactory
from tests.factories.judging import assign, closed_challenge, make_judge, score, seat
from tests.factories.organisations import make_organisation
from tests.factories.submissions import make_proposal

pytestmark = pytest.mark.django_db

FEEDBACK = "Your costed plan was the strongest the panel read."
SCORE_COMMENT = "Judge-only remark about the cost model."
INTERNAL_LABELS = ["Shortlisted", "Winner", "Highly commended", "Not selected", "Not eligible", "In assessment"]


@pytest.fixture
def challenge(sponsor_index, sponsor):
    return closed_challenge(sponsor_index, sponsor)


@pytest.fixture
def supplier(db):
    return UserFactory(verified=True, email="ada@brumtech.example")


@pytest.fixture
def supplier_client(client, supplier):
    client.force_login(supplier)
    return client


@pytest.fixture
def judged(challenge, manager, supplier):
    """A proposal scored by a named judge (weighted total 86.67) and decided a winner, not yet announced."""
    proposal = make_proposal(challenge, supplier=supplier, title="Early warning for rent arrears")
    judge = make_judge(email="w.scorekeeper@panel.example", first_name="Wilhelmina", last_name="Scorekeeper")
    seat(challenge, judge)
    score(assign(proposal, judge), 5, 3, comment=SCORE_COMMENT)
    proposal_transition(proposal=proposal, to=S.MODERATION, by=manager)
    decision_record(
        proposal=proposal,
        outcome="winner",
        feedback=FEEDBACK,
        public_rationale="The clearest route to fewer evictions.",
        by=manager,
    )
    proposal.refresh_from_db()
    proposal.judge = judge
    return proposal


def main_of(response) -> str:
    """The page's own content: the site's header, navigation and feed links say "winners" on every page."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def pages(client, proposal) -> dict[str, str]:
    return {
        "task list": main_of(client.get(reverse("submissions:task_list", args=[proposal.pk]))),
        "dashboard": main_of(client.get(reverse("submissions:dashboard"))),
    }


@pytest.mark.parametrize("status", [s for s in S if s not in (S.DRAFT, S.WITHDRAWN)])
def test_before_the_announcement_every_status_after_submission_reads_submitted(
    supplier_client, challenge, supplier, status
):
    proposal = make_proposal(challenge, supplier=supplier, status=status, title="Early warning for rent arrears")
    for page, body in pages(supplier_client, proposal).items():
        assert 'govuk-tag--blue">Submitted<' in body, page
        assert "Being judged" in body, page
        for label in INTERNAL_LABELS + [">Eligible<", ">Ineligible<", "Moderation"]:
            assert label not in body, (page, label)


def test_a_decided_winner_is_not_told_before_the_announcement(supplier_client, judged):
    for page, body in pages(supplier_client, judged).items():
        assert "Submitted" in body, page
        assert "Winner" not in body and FEEDBACK not in body, page


def test_after_the_announcement_the_supplier_sees_the_outcome_and_feedback_but_never_judges_or_scores(
    supplier_client, challenge, manager, judged
):
    challenge_announce(challenge=challenge, by=manager)
    found = pages(supplier_client, judged)
    task_list = found["task list"]
    assert 'govuk-tag--green">Winner<' in task_list
    assert "Your proposal is one of the winners of this challenge." in task_list
    assert "Feedback from the panel" in task_list and FEEDBACK in task_list
    assert 'govuk-tag--green">Winner<' in found["dashboard"]
    assert "Read the feedback" in found["dashboard"]
    for page, body in found.items():
        for secret in ("Wilhelmina", "Scorekeeper", judged.judge.email, "86.6", "86.7", SCORE_COMMENT, "Rank"):
            assert secret not in body, (page, secret)


@pytest.mark.parametrize(
    ("outcome", "label", "sentence"),
    [
        ("highly_commended", "Highly commended", "The panel highly commended your proposal."),
        ("not_selected", "Not selected", "Your proposal was not selected this time."),
    ],
)
def test_other_outcomes_after_the_announcement(supplier_client, challenge, manager, supplier, outcome, label, sentence):
    proposal = make_proposal(challenge, supplier=supplier, status=S.MODERATION)
    decision_record(proposal=proposal, outcome=outcome, feedback=FEEDBACK, public_rationale="Promising.", by=manager)
    challenge_announce(challenge=challenge, by=manager)
    body = pages(supplier_client, proposal)["task list"]
    assert f">{label}<" in body and sentence in body and FEEDBACK in body


def test_an_ineligible_proposal_gets_the_latest_screening_reason_only_after_the_announcement(
    supplier_client, challenge, manager, supplier
):
    proposal = make_proposal(challenge, supplier=supplier, status=S.SUBMITTED)
    proposal_transition(proposal=proposal, to=S.INELIGIBLE, by=manager, note="No pilot site named.")
    proposal_transition(proposal=proposal, to=S.ELIGIBLE, by=manager, note="Pilot site found in an annex.")
    proposal_transition(proposal=proposal, to=S.INELIGIBLE, by=manager, note="The lead is not registered in the UK.")
    body = pages(supplier_client, proposal)["task list"]
    assert "Submitted" in body and "not registered in the UK" not in body and "Not eligible" not in body

    challenge_announce(challenge=challenge, by=manager)
    body = pages(supplier_client, proposal)["task list"]
    assert 'govuk-tag--orange">Not eligible<' in body
    assert "Why it was not eligible" in body
    assert "The lead is not registered in the UK." in body
    assert "No pilot site named." not in body and "annex" not in body


@pytest.mark.parametrize("who", ["member of another organisation", "judge of the proposal"])
def test_no_one_outside_the_organisation_sees_the_outcome(client, challenge, manager, judged, who):
    challenge_announce(challenge=challenge, by=manager)
    if who == "judge of the proposal":
        outsider = judged.judge
    else:
        outsider = UserFactory(verified=True)
        make_organisation(name="Rival Analytics Ltd", owner=outsider)
    client.force_login(outsider)
    response = client.get(reverse("submissions:task_list", args=[judged.pk]))
    assert response.status_code == 404
    assert FEEDBACK not in response.content.decode() and judged.title not in response.content.decode()
    dashboard = main_of(client.get(reverse("submissions:dashboard")))
    assert judged.title not in dashboard and "Winner" not in dashboard


def test_anonymous_visitors_are_sent_to_sign_in(client, judged):
    response = client.get(reverse("submissions:task_list", args=[judged.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("status", [S.SUBMITTED, S.IN_ASSESSMENT, S.SHORTLISTED])
def test_a_submitted_proposal_can_be_withdrawn_after_the_deadline(
    supplier_client, challenge, supplier, status, django_capture_on_commit_callbacks
):
    proposal = make_proposal(challenge, supplier=supplier, status=status)
    task_list = supplier_client.get(reverse("submissions:task_list", args=[proposal.pk])).content.decode()
    assert "Withdraw this proposal" in task_list
    assert "Check answers and submit" not in task_list
    page = supplier_client.get(reverse("submissions:withdraw", args=[proposal.pk])).content.decode()
    assert "Your proposal will be taken out of judging" in page
    assert f"You are withdrawing <strong>{proposal.reference}</strong>" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = supplier_client.post(reverse("submissions:withdraw", args=[proposal.pk]), {"reason": "Team left"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == S.WITHDRAWN
    assert Event.objects.get(proposal_id=proposal.pk, verb="withdrawn").note == "Team left"
    assert len(mail.outbox) == 1
    body = supplier_client.get(response["Location"]).content.decode()
    assert "Your proposal has been withdrawn." in body
    assert 'govuk-tag--grey">Withdrawn<' in body and "Withdraw this proposal" not in body


BEFORE_THE_ANNOUNCEMENT = [S.SUBMITTED, S.ELIGIBLE, S.INELIGIBLE, S.IN_ASSESSMENT, S.MODERATION, S.SHORTLISTED,
                           S.WINNER, S.HIGHLY_COMMENDED, S.NOT_SELECTED]  # fmt: skip


def _neutral(html: str, proposal) -> str:
    """A page with what differs between two proposals anyway (their own reference, title, ids) taken out."""
    for value in (proposal.reference, proposal.title, proposal.organisation.name, f"/proposals/{proposal.pk}/"):
        html = html.replace(value, "X")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_before_the_announcement_nothing_a_supplier_sees_or_requests_differs_by_outcome(
    supplier_client, challenge, supplier
):
    pages = {}
    for status in BEFORE_THE_ANNOUNCEMENT:
        proposal = make_proposal(challenge, supplier=supplier, status=status, title="Early warning")
        urls = [reverse(name, args=[proposal.pk]) for name in ("submissions:task_list", "submissions:withdraw")]
        responses = [supplier_client.get(url) for url in urls]
        pages[status] = [
            (response.status_code, _neutral(response.content.decode(), proposal)) for response in responses
        ]
    assert all(page == pages[S.SUBMITTED] for page in pages.values())
    assert [code for code, _ in pages[S.SUBMITTED]] == [200, 200]
    assert "Withdraw this proposal" in pages[S.SUBMITTED][0][1]


@pytest.mark.parametrize("status", [S.INELIGIBLE, S.NOT_SELECTED, S.WINNER])
def test_a_screened_or_decided_proposal_can_still_be_withdrawn_until_the_announcement(
    supplier_client, challenge, supplier, manager, status
):
    proposal = make_proposal(challenge, supplier=supplier, status=status)
    response = supplier_client.post(reverse("submissions:withdraw", args=[proposal.pk]), {"reason": "Team left"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == S.WITHDRAWN
    # A proposal that left before the announcement is neither emailed an outcome nor published.
    assert challenge_announce(challenge=challenge, by=manager) == 0


@pytest.mark.parametrize("status", [S.WINNER, S.NOT_SELECTED, S.INELIGIBLE])
def test_nothing_can_be_withdrawn_once_the_winners_are_announced(supplier_client, challenge, supplier, status):
    proposal = make_proposal(challenge, supplier=supplier, status=status)
    challenge.announced_at = timezone.now()
    challenge.save()
    task_list = supplier_client.get(reverse("submissions:task_list", args=[proposal.pk])).content.decode()
    assert "Withdraw this proposal" not in task_list
    response = supplier_client.post(reverse("submissions:withdraw", args=[proposal.pk]), {"reason": "Late"})
    assert response.status_code == 403
    assert "The winners have been announced, so this proposal can no longer be withdrawn." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == status
    assert not Event.objects.filter(proposal_id=proposal.pk, verb="withdrawn").exists()


def test_a_draft_on_a_closed_challenge_offers_no_withdrawal(supplier_client, challenge, supplier):
    organisation = make_organisation(name="Late Starters Ltd", owner=supplier)
    proposal = make_proposal(challenge, supplier=supplier, organisation=organisation)
    proposal.status, proposal.reference = S.DRAFT, None
    proposal.save()
    body = supplier_client.get(reverse("submissions:task_list", args=[proposal.pk])).content.decode()
    assert 'govuk-tag--yellow">Draft<' in body and "Withdraw this proposal" not in body


def test_dashboard_queries_do_not_grow_with_announced_outcomes(
    supplier_client, supplier, sponsor_index, sponsor, manager, django_assert_num_queries
):
    organisation = make_organisation(name="Brumtech Ltd", owner=supplier)

    def add(count):
        for n in range(count):
            challenge = closed_challenge(sponsor_index, sponsor, title=f"Challenge {n}")
            outcome = S.WINNER if n % 2 else S.INELIGIBLE
            make_proposal(challenge, supplier=supplier, organisation=organisation, status=outcome)
            challenge.announced_at = timezone.now() - timedelta(hours=1)
            challenge.save()

    add(2)
    supplier_client.get(reverse("submissions:dashboard"))
    with CaptureQueriesContext(connection) as small:
        supplier_client.get(reverse("submissions:dashboard"))
    add(6)
    with django_assert_num_queries(len(small.captured_queries)):
        body = supplier_client.get(reverse("submissions:dashboard")).content.decode()
    assert body.count(">Winner<") == 4 and body.count(">Not eligible<") == 4
