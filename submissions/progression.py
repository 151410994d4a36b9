"""The end of a stage: a manager takes proposals forward to the next stage, or not, each with feedback.

Taking forward moves the proposal into the next stage through the workflow table (``workflow.TRANSITIONS``: the
moves marked ``advances``), records a ``Progression``, starts the questions marked "Prefilled from" with the
earlier answers, and tells the organisation at once. Not taking forward records the feedback; it is emailed once,
when the stage's feedback is released (a beat task, ``stage_feedback_send_due``) or when a manager sends it.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership
from challenges.models import Stage
from challenges.permissions import can_manage_challenge
from notifications.services import notify

from .models import Progression, Proposal
from .questions import sections_from_raw
from .workflow import BulkResult, S, landing_status, proposal_transition, stage_after


def _members(proposal: Proposal) -> list[tuple[str, int]]:
    return list(
        Membership.objects.filter(organisation_id=proposal.organisation_id).values_list("user__email", "user_id")
    )


def _prefill(proposal: Proposal, stage: Stage) -> None:
    """Start each question of ``stage`` marked "Prefilled from" with the answer to the earlier question of that
    wording, unless it has an answer already. Files are not copied: a new stage asks for its own."""
    earlier = {}
    for each in proposal.challenge.stage_list:
        if each.pk == stage.pk:
            break
        for section in sections_from_raw(each.questions.raw_data):
            for question in section.questions:
                earlier[question.label.strip().casefold()] = question.id
    for section in sections_from_raw(stage.questions.raw_data):
        for question in section.questions:
            source = (question.options.get("prefill_from") or "").strip().casefold()
            source_id = earlier.get(source)
            value = proposal.answers.get(source_id) if source_id else None
            if value not in (None, "", []) and not isinstance(value, dict) and question.id not in proposal.answers:
                proposal.answers[question.id] = value


def _about(proposal: Proposal, stage: Stage) -> dict:
    """What every progression email says about the proposal and the stage."""
    return {
        "challenge": proposal.challenge.title,
        "reference": proposal.reference,
        "title": proposal.title,
        "organisation": proposal.organisation.name,
        "stage": stage.name,
        "proposal_id": proposal.pk,
    }


def _locked(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("challenge", "stage", "organisation")
        .get(pk=proposal.pk)
    )


@transaction.atomic
def proposal_take_forward(*, proposal: Proposal, by, note: str = "") -> Proposal:
    """Move the proposal into the next stage, carrying its answers, and tell its organisation."""
    proposal = _locked(proposal)
    leaving = proposal.stage
    following = stage_after(proposal)
    if following is None:
        raise ValidationError(f"{proposal.reference} is in the last stage, {leaving.name}: decide its award instead.")
    proposal = proposal_transition(
        proposal=proposal, to=landing_status(following), by=by, note=note.strip() or f"Into {following.name}"
    )
    Progression.objects.create(
        proposal=proposal,
        stage=leaving,
        outcome=Progression.Outcome.TAKEN_FORWARD,
        to_stage=following,
        feedback=note.strip(),
        decided_by=by,
        decided_at=timezone.now(),
    )
    _prefill(proposal, following)
    proposal.save(update_fields=["answers", "updated_at"])
    for email, user_id in _members(proposal):
        notify(
            to=email,
            template="submissions/email/taken_forward",
            context={
                **_about(proposal, following),
                "is_pitch": following.is_pitch,
                "opens_at": following.opens_at,
                "closes_at": following.closes_at,
            },
            key=f"taken-forward:{proposal.pk}:{following.pk}:{user_id}",
        )
    return proposal


@transaction.atomic
def proposal_not_take_forward(*, proposal: Proposal, feedback: str, by) -> Proposal:
    """End the proposal's part in the challenge at this stage, with feedback emailed when it is released."""
    proposal = _locked(proposal)
    stage = proposal.stage
    proposal = proposal_transition(proposal=proposal, to=S.NOT_TAKEN_FORWARD, by=by, note=feedback)
    progression = Progression.objects.create(
        proposal=proposal,
        stage=stage,
        outcome=Progression.Outcome.NOT_TAKEN_FORWARD,
        feedback=feedback.strip(),
        decided_by=by,
        decided_at=timezone.now(),
    )
    if stage.feedback_release_at and stage.feedback_release_at <= timezone.now():
        _send_feedback(progression)
    return proposal


def progression_bulk(
    *, proposals: list[Proposal], take_forward: bool, by, feedback: str = "", feedback_of: dict[int, str] | None = None
) -> BulkResult:
    """Take many proposals forward, or not, at once, each with its own feedback (``feedback_of``, by proposal id)
    or else the shared ``feedback``. Each is checked and logged on its own: one that may not move is reported with
    its reason and the rest still move."""
    result = BulkResult(moved=[], refused=[])
    for proposal in proposals:
        note = (feedback_of or {}).get(proposal.pk) or feedback
        try:
            if take_forward:
                result.moved.append(proposal_take_forward(proposal=proposal, by=by, note=note))
            else:
                result.moved.append(proposal_not_take_forward(proposal=proposal, feedback=note, by=by))
        except (ValidationError, PermissionDenied) as error:
            reason = error.messages[0] if isinstance(error, ValidationError) else str(error)
            result.refused.append((proposal, reason))
    return result


def _send_feedback(progression: Progression) -> int:
    """Email the organisation its feedback, once: the row is locked and marked sent in the same transaction, and
    each email has a key, so a retried or doubled run sends nothing twice."""
    with transaction.atomic():
        progression = (
            Progression.objects.select_for_update(of=("self",))
            .select_related("proposal__organisation", "proposal__challenge", "stage")
            .get(pk=progression.pk)
        )
        if progression.feedback_sent_at:
            return 0
        proposal = progression.proposal
        sent = 0
        for email, user_id in _members(proposal):
            notify(
                to=email,
                template="submissions/email/stage_feedback",
                context={**_about(proposal, progression.stage), "feedback": progression.feedback},
                key=f"stage-feedback:{progression.pk}:{user_id}",
            )
            sent += 1
        progression.feedback_sent_at = timezone.now()
        progression.save(update_fields=["feedback_sent_at"])
        return sent


def stage_feedback_send(*, stage: Stage, by) -> int:
    """A manager releases a stage's feedback now: every organisation not taken forward from it is emailed once."""
    allowed, reason = can_manage_challenge(by, stage.page)
    if not allowed:
        raise PermissionDenied(reason)
    unsent = Progression.objects.filter(
        stage=stage, outcome=Progression.Outcome.NOT_TAKEN_FORWARD, feedback_sent_at__isnull=True
    ).order_by("pk")
    return sum(_send_feedback(progression) for progression in unsent)


def stage_feedback_send_due(now=None) -> int:
    """The beat's half: every stage whose feedback release has come, for the organisations not yet emailed."""
    now = now or timezone.now()
    unsent = Progression.objects.filter(
        outcome=Progression.Outcome.NOT_TAKEN_FORWARD,
        feedback_sent_at__isnull=True,
        stage__feedback_release_at__lte=now,
    ).order_by("pk")
    return sum(_send_feedback(progression) for progression in unsent)
