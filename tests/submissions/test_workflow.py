"""The proposal workflow: the table decides every move, the right role makes it, and each move is on the record."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from audit.models import Event
from challenges.models import ChallengePage
from submissions.models import ProposalStatus as S
from submissions.workflow import (
    TRANSITIONS,
    TransitionNotAllowed,
    next_statuses,
    proposal_transition,
    proposal_transition_bulk,
)
from tests.factories.submissions import make_proposal


def test_every_status_is_reachable_and_only_withdrawal_ends_the_road():
    """A draft is reached again when a proposal is taken forward to a written stage."""
    reachable = {to for (_, to) in TRANSITIONS}
    assert reachable == set(S.values)
    dead_ends = {status for status in S.values if not any(frm == status for (frm, _) in TRANSITIONS)}
    assert dead_ends == {S.WITHDRAWN}


def test_the_screening_path_a_manager_walks(scene):
    proposal = make_proposal(scene.challenge, status=S.SUBMITTED)
    for status in (S.ELIGIBLE, S.IN_ASSESSMENT, S.MODERATION, S.SHORTLISTED, S.WINNER):
        proposal = proposal_transition(proposal=proposal, to=status, by=scene.manager)
    proposal.refresh_from_db()
    assert proposal.status == S.WINNER
    verbs = list(Event.objects.filter(proposal_id=proposal.pk).values_list("verb", "from_status", "to_status", "actor"))
    assert verbs == [
        ("screened eligible", S.SUBMITTED, S.ELIGIBLE, scene.manager.pk),
        ("sent to assessment", S.ELIGIBLE, S.IN_ASSESSMENT, scene.manager.pk),
        ("sent to moderation", S.IN_ASSESSMENT, S.MODERATION, scene.manager.pk),
        ("shortlisted", S.MODERATION, S.SHORTLISTED, scene.manager.pk),
        ("chosen as a winner", S.SHORTLISTED, S.WINNER, scene.manager.pk),
    ]
    assert Event.objects.filter(proposal_id=proposal.pk).values_list("challenge", flat=True).distinct().get() == (
        scene.challenge.pk
    )


def test_a_move_the_table_does_not_have_is_refused_and_changes_nothing(scene):
    proposal = make_proposal(scene.challenge, status=S.SUBMITTED)
    with pytest.raises(TransitionNotAllowed, match="is submitted, so it cannot become winner"):
        proposal_transition(proposal=proposal, to=S.WINNER, by=scene.manager)
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED
    assert not Event.objects.filter(proposal_id=proposal.pk).exists()


def test_ineligible_needs_a_reason(scene):
    proposal = make_proposal(scene.challenge, status=S.SUBMITTED)
    with pytest.raises(TransitionNotAllowed, match="Give the reason"):
        proposal_transition(proposal=proposal, to=S.INELIGIBLE, by=scene.manager, note="   ")
    proposal_transition(proposal=proposal, to=S.INELIGIBLE, by=scene.manager, note="Not based in the region")
    assert Event.objects.get(proposal_id=proposal.pk).note == "Not based in the region"


@pytest.mark.parametrize("who", ["supplier", "judge", "other_manager"])
def test_only_the_challenges_managers_screen(scene, who):
    person = {"supplier": scene.supplier, "judge": scene.judges[0], "other_manager": scene.other_manager}[who]
    proposal = make_proposal(scene.challenge, status=S.SUBMITTED, supplier=scene.supplier)
    with pytest.raises(PermissionDenied):
        proposal_transition(proposal=proposal, to=S.ELIGIBLE, by=person)
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED


def test_only_the_organisation_withdraws_and_a_manager_cannot_do_it_for_them(scene):
    with pytest.raises(PermissionDenied, match="Only members of the organisation"):
        proposal_transition(proposal=scene.proposal, to=S.WITHDRAWN, by=scene.manager)
    proposal_transition(proposal=scene.proposal, to=S.WITHDRAWN, by=scene.supplier, note="We merged")
    assert scene.proposal.status == S.WITHDRAWN and scene.proposal.withdrawn_at is not None


def test_a_decided_proposal_can_be_withdrawn_until_the_announcement_and_nothing_moves_after_it(scene):
    decided = make_proposal(scene.challenge, status=S.NOT_SELECTED, supplier=scene.supplier)
    proposal_transition(proposal=decided, to=S.WITHDRAWN, by=scene.supplier)
    assert decided.status == S.WITHDRAWN

    announced = make_proposal(scene.challenge, status=S.WINNER, supplier=scene.supplier)
    ChallengePage.objects.filter(pk=scene.challenge.pk).update(announced_at=timezone.now())
    announced.challenge.refresh_from_db()
    for to, by in ((S.WITHDRAWN, scene.supplier), (S.NOT_SELECTED, scene.manager)):
        with pytest.raises(TransitionNotAllowed, match="The winners have been announced"):
            proposal_transition(proposal=announced, to=to, by=by)


def test_next_statuses_offers_a_manager_only_their_moves():
    assert next_statuses(S.SUBMITTED) == [S.ELIGIBLE, S.INELIGIBLE]
    assert next_statuses(S.MODERATION) == [S.IN_ASSESSMENT, S.SHORTLISTED, S.NOT_SELECTED]
    assert next_statuses(S.WITHDRAWN) == []
    assert S.WITHDRAWN not in next_statuses(S.ELIGIBLE)
    assert next_statuses(S.SUBMITTED, by="supplier") == [S.WITHDRAWN]


def test_bulk_moves_each_it_can_and_reports_each_it_cannot_with_the_reason(scene):
    ready = [make_proposal(scene.challenge, status=S.SUBMITTED) for _ in range(3)]
    already = make_proposal(scene.challenge, status=S.INELIGIBLE)

    result = proposal_transition_bulk(proposals=[*ready, already], to=S.ELIGIBLE, by=scene.manager)

    assert [p.pk for p in result.moved] == [p.pk for p in ready]
    assert [(p.pk, reason) for p, reason in result.refused] == [(already.pk, "Say why the screening changed.")]
    assert Event.objects.filter(verb="screened eligible").count() == 3


def test_bulk_by_someone_else_moves_nothing(scene):
    proposals = [make_proposal(scene.challenge, status=S.SUBMITTED) for _ in range(2)]
    result = proposal_transition_bulk(proposals=proposals, to=S.ELIGIBLE, by=scene.other_manager)
    assert result.moved == [] and len(result.refused) == 2
    assert {reason for _, reason in result.refused} == {"Only this challenge's managers can do that."}


def test_the_audit_log_cannot_be_edited_or_deleted(scene):
    proposal_transition(proposal=scene.proposal, to=S.MODERATION, by=scene.manager)
    event = Event.objects.get(proposal_id=scene.proposal.pk)
    event.note = "rewritten"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        Event.objects.filter(pk=event.pk).update(note="rewritten")
    with pytest.raises(PermissionDenied):
        Event.objects.all().delete()
    assert Event.objects.get(pk=event.pk).note == ""
