"""An open data scene built through the real services: decisions recorded and winners announced.

``published`` holds what the public may see and, beside it, everything it must never see: a proposal not
selected, one withdrawn, the title and summary of an award whose supplier did not consent (its organisation, award
and the panel's reasons are public), a draft challenge, a challenge behind a password, and a challenge that
announced a winner and was then unpublished.
"""

from dataclasses import dataclass
from datetime import datetime

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from challenges.models import ChallengePage, Theme
from judging.services.decisions import challenge_announce, decision_record
from submissions.models import ProposalStatus as S
from tests.factories import ChallengePageFactory
from tests.factories.challenges import make_manager, other_sponsor_section
from tests.factories.judging import closed_challenge
from tests.factories.organisations import make_organisation
from tests.factories.submissions import make_proposal

SECRETS = (
    "Rent Radar",  # not selected
    "Also Ran Ltd",
    "Withdrawn Widget",  # withdrawn
    "Quiet Achiever",  # highly commended without consent: its organisation is on the record, its own words are not
    "Unconsented summary",
    "Draft challenge",  # never published
    "Private challenge",  # behind a password
    "Hidden Winner",  # its challenge was unpublished after the announcement
    "Feedback for",  # decision feedback is for the supplier only
    "@",  # no email address of anyone
)


def themes(*slugs: str) -> list[Theme]:
    return list(Theme.objects.filter(slug__in=slugs).order_by("name"))


def decide(challenge, manager, *, organisation: str, title: str, outcome: str, **fields):
    proposal = make_proposal(
        challenge, status=S.MODERATION, organisation=make_organisation(name=organisation), title=title, **fields
    )
    decision_record(
        proposal=proposal,
        outcome=outcome,
        feedback=f"Feedback for {title}, for the supplier only.",
        public_rationale=f"Why {organisation} won."
        if organisation == "Quiet Ltd"
        else f"Why {title} won."
        if outcome != "not_selected"
        else "",
        by=manager,
    )
    return proposal


def announce(challenge, manager, *, at: datetime | None = None):
    challenge_announce(challenge=challenge, by=manager)
    if at is not None:
        ChallengePage.objects.filter(pk=challenge.pk).update(announced_at=at)
    challenge.refresh_from_db()
    return challenge


@dataclass
class Published:
    announced: ChallengePage
    """Closed yesterday, winners announced now; themes homelessness and open data; sponsor wmca."""
    old: ChallengePage
    """Closed in 2021, its winner announced in 2021; sponsor gmca, theme housing."""
    open: ChallengePage
    """Open now; sponsor gmca, theme wellbeing; no winners."""
    winner: object
    commended: object


@pytest.fixture
def published(listing, sponsor_index, sponsor, manager) -> Published:
    announced = closed_challenge(sponsor_index, sponsor, themes=themes("homelessness", "open-data"))
    winner = decide(
        announced,
        manager,
        organisation="Brumtech Analytics Ltd",
        title="Early Help Finder",
        outcome="winner",
        public_summary="Rent-arrears signals, explained to caseworkers.",
    )
    commended = decide(
        announced, manager, organisation="Kindred Futures CIC", title="Home Truths", outcome="highly_commended"
    )
    decide(
        announced,
        manager,
        organisation="Quiet Ltd",
        title="Quiet Achiever",
        outcome="highly_commended",
        public_summary="Unconsented summary",
        consent_to_publish=False,
    )
    decide(announced, manager, organisation="Also Ran Ltd", title="Rent Radar", outcome="not_selected")
    make_proposal(announced, status=S.WITHDRAWN, title="Withdrawn Widget")
    announce(announced, manager)

    gmca_section, gmca = other_sponsor_section(listing)
    gmca_manager = make_manager(gmca)
    london = timezone.get_current_timezone()
    old = closed_challenge(
        gmca_section,
        gmca,
        title="Better housing repairs",
        themes=themes("housing"),
        opens_at=datetime(2021, 1, 4, 9, tzinfo=london),
        closes_at=datetime(2021, 3, 1, 17, tzinfo=london),
        judging_starts_at=datetime(2021, 3, 8, 9, tzinfo=london),
        judging_ends_at=datetime(2021, 3, 29, 17, tzinfo=london),
        announce_at=datetime(2021, 4, 12, 10, tzinfo=london),
    )
    decide(old, gmca_manager, organisation="Fixit Co-operative", title="Repairs Radar", outcome="winner")
    announce(old, gmca_manager, at=datetime(2021, 4, 12, 10, tzinfo=london))

    open_challenge = ChallengePageFactory(
        parent=gmca_section, sponsor=gmca, title="Healthy ageing at home", themes=themes("wellbeing")
    )
    ChallengePageFactory(parent=sponsor_index, sponsor=sponsor, title="Draft challenge", live=False)
    private = ChallengePageFactory(parent=sponsor_index, sponsor=sponsor, title="Private challenge")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="secret")
    withdrawn = closed_challenge(sponsor_index, sponsor, title="Taken down later", slug="taken-down")
    decide(withdrawn, manager, organisation="Hidden Ltd", title="Hidden Winner", outcome="winner")
    announce(withdrawn, manager)
    withdrawn.unpublish()
    return Published(announced=announced, old=old, open=open_challenge, winner=winner, commended=commended)
