"""A judging scene most judging tests share: a closed challenge being judged, its manager, a panel of three
judges, two proposals in assessment from different organisations, and the people who must be refused."""

from dataclasses import dataclass

import pytest

from tests.factories import UserFactory
from tests.factories.judging import (
    assign,
    closed_challenge,
    conflict,
    make_judge,
    make_manager,
    make_proposal,
    other_sponsor_section,
    seat,
)


@dataclass
class Scene:
    challenge: object
    manager: object
    judges: list
    proposal: object
    other_proposal: object
    supplier: object
    review: object
    other_challenge: object
    other_judge: object
    other_manager: object
    conflicted_judge: object
    unassigned_judge: object


@pytest.fixture
def scene(listing, sponsor_index, sponsor) -> Scene:
    """``judges[0]`` is assigned ``proposal`` (confirmed, draft review in ``review``); ``conflicted_judge`` sits
    on the panel with a conflict with ``proposal``'s organisation; ``unassigned_judge`` sits on the panel with
    no assignment; ``other_judge`` judges ``other_challenge`` of another sponsor, whose manager is
    ``other_manager``."""
    challenge = closed_challenge(sponsor_index, sponsor)
    manager = make_manager(sponsor, email="manager@wmca.example")
    judges = [make_judge(email=f"judge{n}@panel.example") for n in range(2)]
    conflicted_judge = make_judge(email="conflicted@panel.example")
    unassigned_judge = make_judge(email="unassigned@panel.example")
    seat(challenge, *judges, conflicted_judge, unassigned_judge)
    supplier = UserFactory(verified=True, email="ada@brumtech.example")
    proposal = make_proposal(challenge, supplier=supplier, title="Early warning for rent arrears")
    other_proposal = make_proposal(challenge, title="Housing data commons")
    conflict(conflicted_judge, organisation=proposal.organisation)
    review = assign(proposal, judges[0])
    assign(other_proposal, judges[1])

    other_section, other_sponsor = other_sponsor_section(listing)
    other_challenge = closed_challenge(other_section, other_sponsor, title="Digital inclusion in Salford")
    other_judge = make_judge(email="elsewhere@panel.example")
    seat(other_challenge, other_judge)
    other_manager = make_manager(other_sponsor, email="manager@gmca.example")
    return Scene(
        challenge=challenge,
        manager=manager,
        judges=judges,
        proposal=proposal,
        other_proposal=other_proposal,
        supplier=supplier,
        review=review,
        other_challenge=other_challenge,
        other_judge=other_judge,
        other_manager=other_manager,
        conflicted_judge=conflicted_judge,
        unassigned_judge=unassigned_judge,
    )
