"""Reads for the supplier's pages, each in a fixed number of queries however many proposals there are.

What a supplier may know about judging is decided here, in ``supplier_status``, and nowhere else: until the
winners are announced every proposal that was submitted simply reads "Submitted", so a screening, a
shortlist or a decision recorded early never reaches the supplier before everyone else hears.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from accounts.models import Membership, Organisation
from challenges.lifecycle import ChallengeStatus, deadline_phrase

from .answers import problems, section_state, stored_value
from .models import Proposal, ProposalStatus, ProposalVersion
from .permissions import can_edit_proposal, can_withdraw_proposal
from .questions import sections_from_raw
from .workflow import IN_PITCH, OUTCOME_COLOURS, WITHDRAWAL_RULE

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
    now = now or timezone.now()
    challenge = proposal.challenge
    if proposal.status == S.NOT_TAKEN_FORWARD and feedback_released(proposal, now=now):
        return SupplierStatus(proposal.status, "Not taken forward", "grey")
    if proposal.stage.is_pitch and proposal.status in IN_PITCH and not challenge.announced_at:
        return SupplierStatus("pitch", "Invited to pitch", "purple", proposal.stage.name)
    if challenge.announced_at and proposal.status in SUPPLIER_OUTCOMES:
        label, colour = SUPPLIER_OUTCOMES[proposal.status]
        return SupplierStatus(proposal.status, label, colour)
    closed = proposal.stage.closes_at <= now
    return SupplierStatus("submitted", "Submitted", "blue", "Being judged" if closed else "")


def feedback_released(proposal: Proposal, *, now) -> bool:
    """Whether a proposal not taken forward may hear so: once its stage's feedback is released, or emailed."""
    stage = proposal.stage
    return bool(
        (stage.feedback_release_at and stage.feedback_release_at <= now)
        or proposal.challenge.announced_at
        or any(progression.feedback_sent_at for progression in proposal.progressions.all())
    )


def supplier_feedback(proposal: Proposal, status: SupplierStatus) -> str:
    """What the panel told the supplier, once announced: the decision's feedback, or for a proposal screened
    out, the reason the manager gave when screening it (the latest one, if the screening changed)."""
    if status.key == S.NOT_TAKEN_FORWARD:
        return next((p.feedback for p in proposal.progressions.all() if p.stage_id == proposal.stage_id), "")
    if not status.is_outcome:
        return ""
    if proposal.status == S.INELIGIBLE:
        return proposal.ineligible_reason
    decision = getattr(proposal, "decision", None)
    return decision.feedback if decision else ""


def proposal_for_viewer(user):
    """Proposals with their challenge, organisation and stage, each knowing whether ``user`` is a member of its
    organisation (``permissions.is_member`` then asks no more)."""
    membership = Membership.objects.filter(organisation=OuterRef("organisation_id"), user_id=user.pk)
    return Proposal.objects.select_related("challenge", "organisation", "stage").annotate(
        viewer_is_member=Exists(membership)
    )


def organisations_of(user) -> list[Organisation]:
    return list(Organisation.objects.filter(memberships__user=user).order_by("name").distinct())


def _progress(proposal: Proposal) -> dict:
    sections = sections_from_raw(proposal.stage.questions.raw_data)
    states = [section_state(proposal, section) for section in sections]
    return {"done": states.count("completed"), "total": len(states)}


DASHBOARD_UNREAD = (
    "challenge__problem_statement",
    "challenge__what_we_seek",
    "challenge__eligibility",
    "stage__rubric",
    "stage__description",
)


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
        .select_related("challenge", "organisation", "stage")
        # The dashboard shows titles, dates and progress: not the challenges' long content nor the rubrics, whose
        # JSON was most of reading a proposal.
        .defer(*DASHBOARD_UNREAD)
        .prefetch_related(
            Prefetch("versions", queryset=ProposalVersion.objects.select_related("stage").order_by("-submitted_at")),
            "progressions",
        )
        .order_by("stage__closes_at", "pk")
    )
    for proposal in proposals:
        proposal.deadline = stage_deadline(proposal, now=now)
        proposal.progress = _progress(proposal)
        proposal.supplier_status = supplier_status(proposal, now=now)
    return {"memberships": memberships, "proposals": proposals}


def stage_deadline(proposal: Proposal, *, now) -> str:
    """The deadline line for the stage the proposal is in: when it opens, closes, or closed."""
    stage = proposal.stage
    if now < stage.opens_at:
        status = ChallengeStatus.UPCOMING
    elif proposal.challenge.is_accepting_proposals(now=now, stage=stage):
        status = ChallengeStatus.OPEN
    else:
        status = ChallengeStatus.CLOSED
    return deadline_phrase(status=status, opens_at=stage.opens_at, closes_at=stage.closes_at, now=now)


@dataclass(frozen=True)
class EarlierStage:
    """A stage the proposal has passed through, with what it submitted there, read-only."""

    stage: object
    version: ProposalVersion | None
    summary: list


def earlier_stages(proposal: Proposal, *, stages: list, versions: list[ProposalVersion]) -> list[EarlierStage]:
    """The stages before the one the proposal is in, each with its last submitted version's answers, so an
    organisation taken forward reads what it said before beside what it is asked now. ``stages`` is the
    challenge's ``stage_list`` and ``versions`` all the proposal's versions, both read once by the caller."""
    stages = [stage for stage in stages if stage.closes_at <= proposal.stage.opens_at]
    stages = [stage for stage in stages if stage.pk != proposal.stage_id]
    latest: dict[int, ProposalVersion] = {}
    for version in sorted(versions, key=lambda version: version.number):
        latest[version.stage_id] = version
    earlier = []
    for stage in stages:
        version = latest.get(stage.pk)
        summary = []
        if version is not None:
            for section in sections_from_raw(version.questions):
                answers = [(q, version.answers.get(q.id)) for q in section.questions]
                summary.append({"section": section, "answers": answers})
        earlier.append(EarlierStage(stage=stage, version=version, summary=summary))
    return earlier


def stage_position(proposal: Proposal, *, stages: list) -> dict:
    """Which stage the proposal is in, of how many, and what comes next (``stages``: the challenge's
    ``stage_list``)."""
    number = next((n for n, stage in enumerate(stages, 1) if stage.pk == proposal.stage_id), 1)
    return {
        "stage": proposal.stage,
        "stage_number": number,
        "stage_count": len(stages),
        "next_stage": stages[number] if number < len(stages) else None,
    }


def task_list(*, proposal: Proposal, user) -> dict:
    sections = sections_from_raw(proposal.stage.questions.raw_data)
    rows = [{"section": section, "state": section_state(proposal, section)} for section in sections]
    status = supplier_status(proposal)
    stages = proposal.challenge.stage_list
    versions = list(proposal.versions.select_related("stage").order_by("-submitted_at"))
    return {
        **stage_position(proposal, stages=stages),
        "earlier_stages": earlier_stages(proposal, stages=stages, versions=versions),
        "proposal": proposal,
        "status": status,
        "feedback": supplier_feedback(proposal, status),
        "can_withdraw": can_withdraw_proposal(user, proposal)[0],
        "withdrawal_rule": WITHDRAWAL_RULE,
        "rows": rows,
        "completed": sum(row["state"] == "completed" for row in rows),
        "ready": all(row["state"] == "completed" for row in rows),
        "editable": can_edit_proposal(user, proposal)[0],
        "deadline": stage_deadline(proposal, now=timezone.now()),
        "versions": versions,
    }


def check_answers(*, proposal: Proposal, user) -> dict:
    sections = sections_from_raw(proposal.stage.questions.raw_data)
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
