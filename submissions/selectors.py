"""Reads for the supplier's pages, each in a fixed number of queries however many proposals there are.

What a supplier may know about judging is decided here, in ``supplier_status``, and nowhere else: until the
winners are announced every proposal that was submitted simply reads "Submitted", so a screening, a
shortlist or a decision recorded early never reaches the supplier before everyone else hears.
"""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import Membership, Organisation
from challenges.lifecycle import deadline_phrase

from .answers import problems, section_state, stored_value
from .models import Proposal, ProposalStatus, ProposalVersion
from .permissions import can_edit_proposal, can_withdraw_proposal
from .questions import sections_from_raw
from .workflow import OUTCOME_COLOURS, WITHDRAWAL_RULE

S = ProposalStatus


@dataclass(frozen=True)
class SupplierStatus:
    """A proposal's status in the words its supplier sees, with the GOV.UK tag colour to show it in."""

    key: str
    label: str
    colour: str
    hint: str = ""

    @property
    def is_outcome(self) -> bool:
        return self.key in SUPPLIER_OUTCOMES


SUPPLIER_OUTCOMES = {
    status: (S(status).label if status != S.INELIGIBLE else "Not eligible", colour)
    for status, colour in OUTCOME_COLOURS.items()
}
"""An outcome as its supplier reads it, and its tag colour."""


def supplier_status(proposal: Proposal, *, now=None) -> SupplierStatus:
    """The one place that turns the workflow status into what the supplier may see.

    Reads ``proposal.challenge`` (select it with the proposal): outcomes show only once
    ``challenge.announced_at`` is set; before that every status after submission is "Submitted".
    """
    if proposal.status == S.DRAFT:
        return SupplierStatus("draft", "Draft", "yellow")
    if proposal.status == S.WITHDRAWN:
        return SupplierStatus("withdrawn", "Withdrawn", "grey")
    challenge = proposal.challenge
    if challenge.announced_at and proposal.status in SUPPLIER_OUTCOMES:
        label, colour = SUPPLIER_OUTCOMES[proposal.status]
        return SupplierStatus(proposal.status, label, colour)
    closed = challenge.closes_at <= (now or timezone.now())
    return SupplierStatus("submitted", "Submitted", "blue", "Being judged" if closed else "")


def supplier_feedback(proposal: Proposal, status: SupplierStatus) -> str:
    """What the panel told the supplier, once announced: the decision's feedback, or for a proposal screened
    out, the reason the manager gave when screening it (the latest one, if the screening changed)."""
    if not status.is_outcome:
        return ""
    if proposal.status == S.INELIGIBLE:
        return proposal.ineligible_reason
    decision = getattr(proposal, "decision", None)
    return decision.feedback if decision else ""


def organisations_of(user) -> list[Organisation]:
    return list(Organisation.objects.filter(memberships__user=user).order_by("name").distinct())


def _progress(proposal: Proposal) -> dict:
    sections = sections_from_raw(proposal.challenge.proposal_questions.raw_data)
    states = [section_state(proposal, section) for section in sections]
    return {"done": states.count("completed"), "total": len(states)}


def supplier_dashboard(*, user) -> dict:
    now = timezone.now()
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "organisation__memberships",
                queryset=Membership.objects.select_related("user").order_by("user__email"),
                to_attr="all_members",
            )
        )
        .order_by("organisation__name")
    )
    proposals = list(
        Proposal.objects.filter(organisation__memberships__user=user)
        .select_related("challenge", "organisation")
        .prefetch_related(Prefetch("versions", queryset=ProposalVersion.objects.order_by("-number")))
        .order_by("challenge__closes_at", "pk")
    )
    for proposal in proposals:
        challenge = proposal.challenge
        proposal.deadline = deadline_phrase(
            status=challenge.status, opens_at=challenge.opens_at, closes_at=challenge.closes_at, now=now
        )
        proposal.progress = _progress(proposal)
        proposal.supplier_status = supplier_status(proposal, now=now)
    return {"memberships": memberships, "proposals": proposals}


def task_list(*, proposal: Proposal, user) -> dict:
    sections = sections_from_raw(proposal.challenge.proposal_questions.raw_data)
    rows = [{"section": section, "state": section_state(proposal, section)} for section in sections]
    challenge = proposal.challenge
    status = supplier_status(proposal)
    return {
        "proposal": proposal,
        "status": status,
        "feedback": supplier_feedback(proposal, status),
        "can_withdraw": can_withdraw_proposal(user, proposal)[0],
        "withdrawal_rule": WITHDRAWAL_RULE,
        "rows": rows,
        "completed": sum(row["state"] == "completed" for row in rows),
        "ready": all(row["state"] == "completed" for row in rows),
        "editable": can_edit_proposal(user, proposal)[0],
        "deadline": deadline_phrase(
            status=challenge.status, opens_at=challenge.opens_at, closes_at=challenge.closes_at, now=timezone.now()
        ),
        "versions": list(proposal.versions.order_by("-number")),
    }


def check_answers(*, proposal: Proposal, user) -> dict:
    sections = sections_from_raw(proposal.challenge.proposal_questions.raw_data)
    found = {(problem.section.index, problem.question.id): problem.message for problem in problems(proposal, sections)}
    summary = [
        {
            "section": section,
            "answers": [
                {
                    "question": question,
                    "value": stored_value(proposal, question),
                    "problem": found.get((section.index, question.id)),
                }
                for question in section.questions
            ],
        }
        for section in sections
    ]
    return {
        "proposal": proposal,
        "summary": summary,
        "problem_count": len(found),
        "editable": can_edit_proposal(user, proposal)[0],
    }
