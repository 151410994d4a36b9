"""Decisions and the announcement of winners.

A manager records each proposal's outcome with feedback for the supplier and, for an award, a public
rationale. Nothing reaches a supplier or the public until the announcement, which happens at the
challenge's ``announce_at`` (the beat task in tasks.py) or when a manager chooses: then every supplier with an
outcome is emailed it, winners become public, and the challenge moves to "winners announced"
(``challenges.signals.winners_announced`` tells the archive and the page cache).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery, Sum
from django.utils import timezone

from accounts.permissions import require
from audit.services import event_record
from challenges.funding import funding_awards_set
from challenges.models import ChallengePage
from challenges.signals import winners_announced
from core.formatting import format_pounds
from notifications.services import notify
from submissions.models import Proposal, ProposalStatus
from submissions.workflow import DECIDABLE, OUTCOMES, frozen_reason, proposal_transition

from ..models import Decision, Outcome
from ..permissions import can_manage
from ..selectors.confidence import uncertainty
from ..selectors.decisions import announcement_blockers, outcome_memberships, ranking_departure
from ..selectors.due_diligence import award_blocked_message

S = ProposalStatus
AWARD_OUTCOMES = (Outcome.WINNER, Outcome.HIGHLY_COMMENDED)


def _path(current: str, outcome: str) -> list[str]:
    """The statuses a decision walks through from ``current``, each one a move in the workflow table."""
    if current == outcome:
        return []
    if current == S.MODERATION and outcome != S.NOT_SELECTED:
        return [S.SHORTLISTED, outcome]
    return [outcome]


def _awarded_elsewhere(proposal: Proposal) -> Decimal:
    """The challenge's other confirmed awards, in pounds."""
    others = Decision.objects.filter(
        proposal__challenge_id=proposal.challenge_id, outcome__in=AWARD_OUTCOMES, amount__isnull=False
    ).exclude(proposal=proposal)
    return others.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def _award_errors(proposal: Proposal, outcome: str, amount: Decimal | None) -> dict[str, str]:
    """What an award of money needs before it can be confirmed: an amount within the funding left, and due
    diligence done. An award without money (a commendation) needs neither."""
    if outcome not in AWARD_OUTCOMES:
        return {"amount": "Only an award carries an amount: leave it blank."} if amount else {}
    if not amount:
        return {}
    if amount < 0:
        return {"amount": "The award cannot be less than £0."}
    errors = {}
    blocked = award_blocked_message(proposal)
    if blocked:
        errors["outcome"] = blocked
    funding = proposal.challenge.funding_available
    left = funding - _awarded_elsewhere(proposal)
    if amount > left:
        errors["amount"] = (
            f"This award of {format_pounds(amount)} is more than the {format_pounds(max(left, Decimal(0)))} left of "
            f"the challenge's {format_pounds(funding)} funding."
        )
    return errors


@transaction.atomic
def decision_record(
    *,
    proposal: Proposal,
    outcome: str,
    feedback: str,
    public_rationale: str = "",
    amount: Decimal | None = None,
    departure_reason: str = "",
    uncertainty_reason: str = "",
    by,
) -> Decision:
    """Record or change a proposal's outcome until the winners are announced.

    An award carries its amount in pounds; the challenge's confirmed awards never exceed its funding (checked here
    with a message, and by the database through ``challenges.funding``). It is refused while due diligence is
    open or failed. A decision that departs from the panel's ranking needs its reason, which is audited and
    published with the decision (never judges' names or scores). So does one the resampled panel leaves uncertain
    (``selectors.confidence.uncertainty``): that reason is audited and kept, not published."""
    proposal = Proposal.objects.select_for_update().select_related("challenge", "organisation").get(pk=proposal.pk)
    require(can_manage(by, proposal.challenge))
    if frozen_reason(proposal):
        raise ValidationError("The winners have been announced, so decisions can no longer change.")
    if proposal.status not in DECIDABLE:
        raise ValidationError(
            f"{proposal.reference} is {proposal.get_status_display().lower()}: decide on proposals once they are "
            "in moderation or shortlisted."
        )
    decision = Decision.objects.filter(proposal=proposal).first() or Decision(proposal=proposal)
    decision.outcome = Outcome(outcome)
    decision.feedback = feedback.strip()
    decision.public_rationale = public_rationale.strip() if outcome != Outcome.NOT_SELECTED else ""
    decision.decided_by = by
    decision.amount = amount if outcome in AWARD_OUTCOMES else None
    decision.departure_reason = departure_reason.strip()
    errors = _award_errors(proposal, outcome, amount)
    departure = ranking_departure(proposal, outcome)
    if departure and not decision.departure_reason:
        errors["departure_reason"] = f"{departure} Record why the panel departs from its ranking."
    if not departure:
        decision.departure_reason = ""
    decision.uncertainty_reason = uncertainty_reason.strip()
    doubt = uncertainty(proposal, awarding=outcome in AWARD_OUTCOMES)
    if doubt and not decision.uncertainty_reason:
        errors["uncertainty_reason"] = doubt
    if not doubt:
        decision.uncertainty_reason = ""
    if not decision.feedback:
        errors["feedback"] = "Write the feedback the supplier will receive."
    if outcome != Outcome.NOT_SELECTED and not decision.public_rationale:
        errors["public_rationale"] = "Give the public rationale for this award: it is published with the winners."
    if errors:
        raise ValidationError(errors)
    decision.full_clean()
    for status in _path(proposal.status, outcome):
        proposal = proposal_transition(
            proposal=proposal, to=status, by=by, note=f"Decision: {decision.get_outcome_display()}"
        )
    decision.save()
    funding_awards_set(challenge=proposal.challenge, awarded=_awarded_elsewhere(proposal) + (decision.amount or 0))
    note = decision.feedback
    if decision.amount is not None:
        note = f"Award {format_pounds(decision.amount)}. {note}"
    if decision.departure_reason:
        note = f"{note} Departs from the ranking: {decision.departure_reason}"
    if decision.uncertainty_reason:
        note = f"{note} {doubt.removesuffix(': record why.')}: {decision.uncertainty_reason}"
    event_record(actor=by, verb="decision recorded", proposal=proposal, to_status=outcome, note=note)
    return decision


def _announced_dates(challenge: ChallengePage, now) -> dict:
    """The key dates as they turned out: an announcement earlier than planned brings them forward."""

    def not_after_now(value):
        return now if value is None or value > now else value

    return {
        "announced_at": now,
        "judging_starts_at": not_after_now(challenge.judging_starts_at),
        "judging_ends_at": challenge.judging_ends_at and min(challenge.judging_ends_at, now),
        "announce_at": not_after_now(challenge.announce_at),
        "status_override": "",
    }


def _email_outcomes(challenge: ChallengePage) -> int:
    proposals = (
        Proposal.objects.filter(challenge=challenge, status__in=OUTCOMES)
        .select_related("organisation", "decision")
        .order_by("pk")
    )
    members = outcome_memberships(challenge).values_list("organisation_id", "user__email", "user_id")
    emails_of: dict[int, list[tuple[str, int]]] = {}
    for organisation_id, email, user_id in members:
        emails_of.setdefault(organisation_id, []).append((email, user_id))
    sent = 0
    for proposal in proposals:
        decision = getattr(proposal, "decision", None)
        feedback = decision.feedback if decision else proposal.ineligible_reason
        for email, user_id in emails_of.get(proposal.organisation_id, []):
            notify(
                to=email,
                template="judging/email/outcome",
                context={
                    "challenge": challenge.title,
                    "reference": proposal.reference or "",
                    "title": proposal.title,
                    "organisation": proposal.organisation.name,
                    "outcome": proposal.status,
                    "outcome_label": proposal.get_status_display(),
                    "feedback": feedback,
                },
                key=f"outcome:{proposal.pk}:{user_id}",
            )
            sent += 1
    return sent


@transaction.atomic
def challenge_announce(*, challenge: ChallengePage, by=None) -> int:
    """Announce the winners: email every supplier with an outcome, publish the winners, and move the challenge
    to "winners announced". ``by`` is None when the beat does it at ``announce_at``.

    Announcing twice does nothing the second time; every email has a key, so a retried task sends none twice.
    Returns how many emails were queued.
    """
    challenge = ChallengePage.objects.select_for_update().get(pk=challenge.pk)
    if by is not None:
        require(can_manage(by, challenge))
    if challenge.announced_at:
        return 0
    blockers = announcement_blockers(challenge)
    if blockers:
        raise ValidationError([str(blocker) for blocker in blockers])
    now = timezone.now()
    dates = _announced_dates(challenge, now)
    ChallengePage.objects.filter(pk=challenge.pk).update(**dates)
    for name, value in dates.items():
        setattr(challenge, name, value)
    # The organisation's name now is the name on the public record, whatever it is called later.
    name_now = Proposal.objects.filter(pk=OuterRef("proposal_id")).values("organisation__name")[:1]
    Decision.objects.filter(proposal__challenge=challenge).update(announced_at=now, recipient_name=Subquery(name_now))
    sent = _email_outcomes(challenge)
    winners_announced.send(sender=ChallengePage, challenge=challenge)
    winners = Proposal.objects.filter(challenge=challenge, status=S.WINNER).count()
    event_record(
        actor=by,
        verb="winners announced",
        challenge=challenge,
        note=f"{winners} winner(s); {sent} supplier email(s) queued." + ("" if by else " Announced at the set time."),
    )
    return sent
