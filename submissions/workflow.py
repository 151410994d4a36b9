"""The proposal workflow: one status field, one table of allowed moves, one service that makes them.

Read ``TRANSITIONS`` to know every way a proposal's status can change and who may make each change; grep
for ``proposal_transition`` to find every place that changes it.

    draft ─▶ submitted ─▶ eligible ─▶ in assessment ─▶ moderation ─▶ shortlisted ─▶ winner
      ▲          │            ▲ │ │                      │ │  ▲             │   └──▶ highly commended
      │          ▼            │ ▼ │                      │ │  │             ▼
      │      ineligible ◀─────┘   │ (a screening mistake │ │ (back for    not selected
      │                           │  can be put right)   │ ▼  more reviews)
      │                           │                      │ not selected
      │                           ├──────────────────────┴─▶ not taken forward   (any stage but the last)
      └── taken forward to the next written stage ◀──────┘
          (taken forward to a pitch stage: ─▶ eligible, so the pitch panel is assigned as for any stage)
    withdrawn: by the supplier, from every state until the winners are announced (a draft only while open).

Stages: a proposal is in one stage of its challenge (``proposal.stage``). Moves marked ``stage=NOT_LAST`` end a
stage that has another after it (taken forward, or not); those marked ``stage=LAST`` decide awards and happen only
in the last stage. A move that ``advances`` puts the proposal in the next stage, whose kind says where it lands: a
written stage starts as a draft (the earlier answers kept), a pitch stage as eligible for its panel.

Once the winners are announced nothing moves: ``frozen_reason`` says so, and ``proposal_transition`` refuses.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import event_record
from challenges.permissions import can_manage_challenge

from .models import Proposal, ProposalStatus, validate_fields
from .permissions import is_member

S = ProposalStatus
SUPPLIER = "supplier"
MANAGER = "manager"

# Groups of statuses, each defined here once; every app reads them from this module.
WITHDRAWABLE = tuple(status for status in S if status != S.WITHDRAWN)
"""A supplier may withdraw from any of these until the winners are announced (a draft only while the challenge is
open): whatever screening or judging has decided, so nothing a supplier can do before the announcement depends on
an outcome they have not been told."""
RECEIVED = tuple(status for status in S if status != S.DRAFT)
"""Submitted at some time: what a manager screens (with a reference: a draft withdrawn unsent has none)."""
IN_PLAY = tuple(status for status in RECEIVED if status != S.WITHDRAWN)
"""Received and not withdrawn."""
ASSIGNABLE = (S.ELIGIBLE, S.IN_ASSESSMENT)
"""A panel is assigned to these automatically (the eligible ones then move into assessment)."""
ASSIGNABLE_BY_HAND = (*ASSIGNABLE, S.MODERATION)
"""A manager may add a judge to these by hand; the assignments grid shows them."""
UNDER_REVIEW = (S.IN_ASSESSMENT, S.MODERATION)
"""Judges may read and score these."""
RANKED = (S.IN_ASSESSMENT, S.MODERATION, S.SHORTLISTED, S.NOT_SELECTED, S.WINNER, S.HIGHLY_COMMENDED)
"""Their submitted reviews count in the ranking."""
PROGRESSABLE = (S.ELIGIBLE, S.MODERATION)
"""At the end of a stage that has another after it, these may be taken forward or not: eligible ones without
judging (an expression of interest screened only), moderated ones after it."""
IN_PITCH = (S.ELIGIBLE, S.IN_ASSESSMENT, S.MODERATION, S.SHORTLISTED)
"""A proposal in a pitch stage in any of these has been invited to pitch, and is told so."""
DECIDABLE = (S.MODERATION, S.SHORTLISTED, S.WINNER, S.HIGHLY_COMMENDED, S.NOT_SELECTED)
"""A decision may be recorded (or changed, until the announcement) for these."""
UNDECIDED = (S.SUBMITTED, S.ELIGIBLE, S.IN_ASSESSMENT, S.MODERATION, S.SHORTLISTED)
"""These still need a screening or a decision before the winners can be announced."""
AWARDS = (S.WINNER, S.HIGHLY_COMMENDED)
"""Awards: published once announced (``judging.selectors.public``)."""
DUE_DILIGENCE = (S.SHORTLISTED, *AWARDS)
"""Due diligence is done (and evidence asked for) on these: in line for an award."""
OUTCOMES = (*AWARDS, S.NOT_SELECTED, S.NOT_TAKEN_FORWARD, S.INELIGIBLE)
"""Decided: what the supplier hears when the winners are announced (not taken forward: when its stage's feedback
is released)."""
OUTCOME_COLOURS = {
    S.WINNER: "green",
    S.HIGHLY_COMMENDED: "turquoise",
    S.NOT_SELECTED: "grey",
    S.NOT_TAKEN_FORWARD: "grey",
    S.INELIGIBLE: "orange",
}
"""The GOV.UK tag colour of each outcome, wherever one is shown."""


LAST = "last"
NOT_LAST = "not last"


@dataclass(frozen=True)
class Move:
    verb: str
    by: str
    needs_note: str = ""
    """When set, the move is refused without a note, and this is the message saying what to write."""
    stage: str = ""
    """``LAST``: only in the challenge's last stage (awards); ``NOT_LAST``: only in a stage with another after it."""
    advances: bool = False
    """The proposal moves into the next stage."""


REASON_FOR_INELIGIBLE = "Give the reason the proposal is ineligible: the supplier is told it."
FEEDBACK_FOR_NOT_TAKEN_FORWARD = (
    "Give feedback for the organisation: it is emailed when the stage's feedback is released."
)

TRANSITIONS: dict[tuple[str, str], Move] = {
    (S.DRAFT, S.SUBMITTED): Move("submitted", SUPPLIER),
    (S.SUBMITTED, S.SUBMITTED): Move("resubmitted", SUPPLIER),
    **{(status, S.WITHDRAWN): Move("withdrawn", SUPPLIER) for status in WITHDRAWABLE},
    (S.SUBMITTED, S.ELIGIBLE): Move("screened eligible", MANAGER),
    (S.SUBMITTED, S.INELIGIBLE): Move("screened ineligible", MANAGER, needs_note=REASON_FOR_INELIGIBLE),
    (S.ELIGIBLE, S.INELIGIBLE): Move("screened ineligible", MANAGER, needs_note=REASON_FOR_INELIGIBLE),
    (S.INELIGIBLE, S.ELIGIBLE): Move("screened eligible", MANAGER, needs_note="Say why the screening changed."),
    (S.ELIGIBLE, S.IN_ASSESSMENT): Move("sent to assessment", MANAGER),
    (S.IN_ASSESSMENT, S.MODERATION): Move("sent to moderation", MANAGER),
    (S.MODERATION, S.IN_ASSESSMENT): Move("returned to assessment", MANAGER),
    # The end of a stage with another after it.
    (S.ELIGIBLE, S.DRAFT): Move("taken forward to the next stage", MANAGER, stage=NOT_LAST, advances=True),
    (S.MODERATION, S.DRAFT): Move("taken forward to the next stage", MANAGER, stage=NOT_LAST, advances=True),
    (S.MODERATION, S.ELIGIBLE): Move("taken forward to the pitch", MANAGER, stage=NOT_LAST, advances=True),
    **{
        (status, S.NOT_TAKEN_FORWARD): Move(
            "not taken forward", MANAGER, needs_note=FEEDBACK_FOR_NOT_TAKEN_FORWARD, stage=NOT_LAST
        )
        for status in PROGRESSABLE
    },
    # The end of the last stage: the awards.
    (S.MODERATION, S.SHORTLISTED): Move("shortlisted", MANAGER, stage=LAST),
    (S.MODERATION, S.NOT_SELECTED): Move("not selected", MANAGER, stage=LAST),
    (S.SHORTLISTED, S.WINNER): Move("chosen as a winner", MANAGER),
    (S.SHORTLISTED, S.HIGHLY_COMMENDED): Move("highly commended", MANAGER),
    (S.SHORTLISTED, S.NOT_SELECTED): Move("not selected", MANAGER),
    # A decision may change until the winners are announced: then ``frozen_reason`` stops every move.
    (S.WINNER, S.HIGHLY_COMMENDED): Move("decision changed", MANAGER),
    (S.WINNER, S.NOT_SELECTED): Move("decision changed", MANAGER),
    (S.HIGHLY_COMMENDED, S.WINNER): Move("decision changed", MANAGER),
    (S.HIGHLY_COMMENDED, S.NOT_SELECTED): Move("decision changed", MANAGER),
    (S.NOT_SELECTED, S.WINNER): Move("decision changed", MANAGER),
    (S.NOT_SELECTED, S.HIGHLY_COMMENDED): Move("decision changed", MANAGER),
}


class TransitionNotAllowed(ValidationError):
    pass


WITHDRAWAL_RULE = (
    "A draft can be withdrawn until the challenge closes. A submitted proposal can be withdrawn at any time until "
    "the winners are announced."
)
"""The one wording of the withdrawal rule: pages and the README say exactly this."""


def frozen_reason(proposal: Proposal) -> str:
    """Why nothing about this proposal may change any more, or "" while it still may (``challenge`` selected)."""
    if proposal.challenge.announced_at:
        return "The winners have been announced, so this proposal's status can no longer change."
    return ""


def next_statuses(status: str, *, by: str = MANAGER) -> list[str]:
    """Where a proposal in ``status`` may go next by one role's hand, in the order of the table."""
    return [
        to
        for (frm, to), move in TRANSITIONS.items()
        if frm == status and move.by == by and to != frm and not move.advances and move.stage != NOT_LAST
    ]
    # Taking forward (or not) is made on the stage's progression page, with feedback, never as a plain move.


def _check(proposal: Proposal, to: str, by, note: str) -> Move:
    frozen = frozen_reason(proposal)
    if frozen:
        raise TransitionNotAllowed(frozen)
    move = TRANSITIONS.get((proposal.status, to))
    if move is None:
        raise TransitionNotAllowed(
            f"{proposal.reference or 'This proposal'} is {proposal.get_status_display().lower()}, "
            f"so it cannot become {S(to).label.lower()}."
        )
    if move.by == SUPPLIER and not is_member(by, proposal.organisation):
        raise PermissionDenied("Only members of the organisation can do that.")
    if move.by == MANAGER:
        allowed, reason = can_manage_challenge(by, proposal.challenge)
        if not allowed:
            raise PermissionDenied(reason)
    if move.needs_note and not note.strip():
        raise TransitionNotAllowed(move.needs_note)
    if move.stage or move.advances:
        _check_stage(proposal, to, move)
    return move


def stage_after(proposal: Proposal):
    """The stage after the one ``proposal`` is in, or None in the last (``challenge`` selected)."""
    return proposal.challenge.stage_after(proposal.stage)


def _check_stage(proposal: Proposal, to: str, move: Move) -> None:
    following = stage_after(proposal)
    name = proposal.reference or "This proposal"
    if move.stage == LAST and following is not None:
        raise TransitionNotAllowed(
            f"{name} is in {proposal.stage.name}, and {following.name} follows it: take it forward or not first."
        )
    if move.stage == NOT_LAST and following is None:
        raise TransitionNotAllowed(f"{name} is in the last stage, {proposal.stage.name}: decide its award instead.")
    if move.advances and TRANSITIONS.get((proposal.status, landing_status(following))) is not move:
        raise TransitionNotAllowed(f"{name} cannot be taken forward to {following.name} from here.")


def landing_status(stage) -> str:
    """Where a proposal taken forward lands: a draft to write in a written stage, eligible for a pitch panel."""
    return S.ELIGIBLE if stage.is_pitch else S.DRAFT


def proposal_transition(*, proposal: Proposal, to: str, by, note: str = "") -> Proposal:
    """Move ``proposal`` to ``to`` if the table allows it and ``by`` may make that move; save and log it.

    Callers own the deadline checks and messages a person sees, and send any email through
    ``notifications.notify``, which waits for the commit, so a rolled-back move never emails anyone.
    """
    move = _check(proposal, to, by, note)
    from_status = proposal.status
    proposal.status = to
    now = timezone.now()
    if move.advances:
        proposal.stage = stage_after(proposal)
    if to == S.SUBMITTED:
        proposal.submitted_at = now
    if to == S.WITHDRAWN:
        proposal.withdrawn_at = now
    if to == S.INELIGIBLE:
        proposal.ineligible_reason = note.strip()
    elif from_status == S.INELIGIBLE:
        proposal.ineligible_reason = ""
    validate_fields(proposal)
    proposal.save()
    event_record(actor=by, verb=move.verb, proposal=proposal, from_status=from_status, to_status=to, note=note.strip())
    return proposal


@dataclass
class BulkResult:
    moved: list[Proposal]
    refused: list[tuple[Proposal, str]]


def proposal_transition_bulk(*, proposals: list[Proposal], to: str, by, note: str = "") -> BulkResult:
    """Move many proposals at once. Each is checked and logged on its own: one that may not move is reported
    with its reason and the rest still move."""
    result = BulkResult(moved=[], refused=[])
    for proposal in proposals:
        try:
            with transaction.atomic():
                locked = Proposal.objects.select_for_update().select_related("challenge", "organisation")
                result.moved.append(proposal_transition(proposal=locked.get(pk=proposal.pk), to=to, by=by, note=note))
        except (ValidationError, PermissionDenied) as error:
            reason = error.messages[0] if isinstance(error, ValidationError) else str(error)
            result.refused.append((proposal, reason))
    return result
