"""The public sees a challenge's winners only once they are announced, and only what may be published."""

import pytest

from judging.services.decisions import challenge_announce, decision_record
from submissions.models import ProposalStatus as S
from submissions.workflow import proposal_transition
from tests.challenges.kept_queries import page_queries
from tests.factories.judging import closed_challenge
from tests.factories.organisations import make_organisation
from tests.factories.submissions import make_proposal

pytestmark = pytest.mark.django_db

WINNER_SUMMARY = "Rent-arrears signals, explained to caseworkers."
SECRET_SUMMARY = "Our confidential approach to tenancy data."


@pytest.fixture
def challenge(sponsor_index, sponsor):
    return closed_challenge(sponsor_index, sponsor)


def decide(challenge, manager, *, organisation: str, title: str, outcome: str, **fields):
    proposal = make_proposal(
        challenge, status=S.MODERATION, organisation=make_organisation(name=organisation), title=title, **fields
    )
    decision_record(
        proposal=proposal,
        outcome=outcome,
        feedback=f"Feedback for {title}, for the supplier only.",
        public_rationale=f"Why {title} won." if outcome != "not_selected" else "",
        by=manager,
    )
    return proposal


@pytest.fixture
def decided(challenge, manager):
    """Two awards decided (the highly commended one without consent to publish), a proposal not selected, one
    withdrawn and one screened out. Created highly commended first, so the order on the page is the rule's."""
    decide(
        challenge,
        manager,
        organisation="Kindred Futures CIC",
        title="Home Truths",
        outcome="highly_commended",
        public_summary=SECRET_SUMMARY,
        consent_to_publish=False,
    )
    decide(
        challenge,
        manager,
        organisation="Brumtech Analytics Ltd",
        title="Early Help Finder",
        outcome="winner",
        public_summary=WINNER_SUMMARY,
    )
    decide(challenge, manager, organisation="Also Ran Ltd", title="Rent Radar", outcome="not_selected")
    make_proposal(challenge, status=S.WITHDRAWN, title="Withdrawn Widget")
    screened = make_proposal(challenge, status=S.SUBMITTED, title="Offshore Option")
    proposal_transition(proposal=screened, to=S.INELIGIBLE, by=manager, note="Not registered in the UK.")
    return challenge


def text(response) -> str:
    return " ".join(response.content.decode().split())


def test_nothing_is_public_before_the_announcement(client, decided):
    body = text(client.get(decided.url))
    assert 'id="winners"' not in body
    for secret in ("Early Help Finder", "Home Truths", "Why Early Help Finder won.", WINNER_SUMMARY, "Brumtech"):
        assert secret not in body


def test_after_the_announcement_winners_then_highly_commended_with_rationale(client, decided, manager):
    challenge_announce(challenge=decided, by=manager)
    body = text(client.get(decided.url))
    assert '<h2 class="govuk-heading-l" id="winners">Winners</h2>' in body
    # Without consent the award is shown under a neutral title: the supplier's own words stay private.
    assert body.index("Early Help Finder") < body.index(f"Highly commended in “{decided.title}”")
    assert "Brumtech Analytics Ltd" in body and "Kindred Futures CIC" in body
    assert 'govuk-tag--green">Winner<' in body and 'govuk-tag--turquoise">Highly commended<' in body
    assert "Why Early Help Finder won." in body and "Why Home Truths won." in body  # the panel's words are public
    assert WINNER_SUMMARY in body


def test_the_public_never_sees_an_unconsented_summary_or_the_other_proposals(client, decided, manager):
    challenge_announce(challenge=decided, by=manager)
    body = text(client.get(decided.url)).replace("Why Home Truths won.", "")
    for secret in (
        SECRET_SUMMARY,
        "Home Truths",
        "Rent Radar",
        "Also Ran Ltd",
        "Withdrawn Widget",
        "Offshore Option",
        "Not registered in the UK.",
        "for the supplier only",
    ):
        assert secret not in body, secret


def test_the_page_query_count_does_not_grow_with_winners(client, sponsor_index, sponsor, manager):
    def announced_with(count: int):
        challenge = closed_challenge(sponsor_index, sponsor, title=f"A challenge with {count} winners")
        for n in range(count):
            decide(
                challenge, manager, organisation=f"Winner {count}-{n} Ltd", title=f"Idea {count}-{n}", outcome="winner"
            )
        challenge_announce(challenge=challenge, by=manager)
        return challenge

    small, large = announced_with(1), announced_with(5)
    client.get(small.url)
    few, many = page_queries(client, small.url), page_queries(client, large.url)
    assert (many.cold, many.warm) == (few.cold, few.warm)
    body = text(many.response)
    assert body.count('govuk-tag--green">Winner<') == 5
