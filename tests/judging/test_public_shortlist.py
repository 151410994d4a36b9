"""After the announcement, a challenge in stages names the other organisations that reached its last stage, only
those that agreed to be published, on its page and in the archive's search text."""

import pytest
from django.utils import timezone

from archive.entries import challenge_entry
from challenges.models import ChallengePage
from judging.selectors.public import challenge_public_shortlist
from submissions.progression import proposal_take_forward
from tests.factories.stages import build_staged_scene
from tests.factories.submissions import make_proposal

pytestmark = pytest.mark.django_db


def to_the_pitch(staged, proposal):
    proposal = proposal_take_forward(proposal=proposal, by=staged.manager)
    proposal.status = "moderation"  # judged in the full-proposal stage
    proposal.save()
    return proposal_take_forward(proposal=proposal, by=staged.manager)


def test_only_consenting_organisations_in_the_last_stage_are_named_once_announced(staged_scene, client):
    staged = staged_scene
    named = to_the_pitch(staged, staged.forward)
    shy = to_the_pitch(staged, make_proposal(staged.challenge, stage=staged.stages[0], status="eligible"))
    shy.consent_to_publish = False
    shy.save()
    assert challenge_public_shortlist(staged.challenge) == []

    ChallengePage.objects.filter(pk=staged.challenge.pk).update(announced_at=timezone.now())
    challenge = ChallengePage.objects.get(pk=staged.challenge.pk)
    assert challenge_public_shortlist(challenge) == [named.organisation.name]
    html = client.get(challenge.url).content.decode()
    assert "Also shortlisted" in html
    assert named.organisation.name in html
    assert shy.organisation.name not in html
    assert staged.left_behind.organisation.name not in html
    body = challenge_entry(challenge, list(challenge.themes.all())).body
    assert f"Also shortlisted: {named.organisation.name}." in body
    assert shy.organisation.name not in body


@pytest.fixture
def staged_scene(sponsor_index, sponsor):
    return build_staged_scene(sponsor_index, sponsor)
