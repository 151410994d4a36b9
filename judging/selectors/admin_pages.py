"""What the managers' judging pages in the Wagtail admin read, each in a fixed number of queries: the challenges a
manager runs, screening, the panel, the audit log, the decisions and announcement pages, and one proposal's page.
The views only call these (and the services): every query of the admin pages is here or in ``coverage`` and
``results``.

Staff see the judges' names and the organisation whatever the challenge's blind-judging setting: blind judging
hides suppliers from judges, not judges from the people moderating them.
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from audit.models import Event
from audit.selectors import events_for_challenge, events_for_proposal
from challenges.models import ChallengePage
from challenges.selectors import challenges_user_can_manage
from submissions.answers import STANDARD_FIELDS
from submissions.models import Attachment, Proposal, ProposalStatus, ProposalVersion
from submissions.questions import sections_from_raw
from submissions.workflow import DECIDABLE, IN_PLAY, RECEIVED, UNDER_REVIEW, next_statuses

from ..labels import judge_label, judge_name, review_state
from ..models import Assignment, Conflict, Decision, Outcome, PanelInvitation, PanelMember, Review, ReviewStatus
from .confidence import with_chances
from .decisions import outcome_memberships
from .ranking import ranking_order
from .stages import judging_stage

S = ProposalStatus
STATUS_LABELS = {**dict(ProposalStatus.choices), **dict(ReviewStatus.choices), **dict(Outcome.choices)}
"""The audit log stores status values; staff read their labels ("In assessment", not "in_assessment")."""
AUDIT_PER_PAGE = 50


def managed_challenge(challenge_id: int) -> ChallengePage | None:
    return ChallengePage.objects.select_related("sponsor").filter(pk=challenge_id).first()


def challenges_to_judge(user) -> QuerySet[ChallengePage]:
    """The Judging menu's list: the challenges this manager runs, with where their proposals stand."""
    return (
        challenges_user_can_manage(user)
        .filter(closes_at__isnull=False)
        .annotate(
            received=Count("proposals", filter=Q(proposals__status__in=IN_PLAY)),
            to_screen=Count("proposals", filter=Q(proposals__status=S.SUBMITTED)),
            in_review=Count("proposals", filter=Q(proposals__status__in=UNDER_REVIEW)),
            winners=Count("proposals", filter=Q(proposals__status=S.WINNER)),
        )
        .order_by("-closes_at")
    )


# --- Screening ---------------------------------------------------------------------------------------------------

# Outcomes are left to the decisions page, which records the feedback and rationale that go with them.
SCREENING_MOVES = frozenset(to for status in S for to in next_statuses(status)) - set(Outcome.values)


def moves_from(statuses) -> list[S]:
    """The moves a manager may make on the screening page from any of ``statuses``, in the workflow's order."""
    reachable = {to for status in statuses for to in next_statuses(status)} & SCREENING_MOVES
    return [status for status in S if status in reachable]


def received(challenge, stage=None) -> QuerySet[Proposal]:
    """Proposals in a stage (every stage, unless told) that were submitted at some point. A draft, or a draft
    withdrawn before it was ever submitted (no reference), is not the manager's business."""
    proposals = Proposal.objects.filter(challenge=challenge, status__in=RECEIVED, reference__isnull=False)
    return proposals.filter(stage=stage) if stage is not None else proposals


def screening_rows(challenge, status: str = "", stage=None) -> QuerySet[Proposal]:
    """The listing: each proposal with its organisation and how many judges have it and have reviewed it in the
    stage it is in."""
    in_its_stage = Q(assignments__stage_id=F("stage_id"))
    rows = (
        received(challenge, stage)
        .select_related("organisation")
        .annotate(
            judges_assigned=Count("assignments", filter=in_its_stage, distinct=True),
            reviews_submitted=Count(
                "assignments",
                filter=in_its_stage & Q(assignments__review__status=ReviewStatus.SUBMITTED),
                distinct=True,
            ),
        )
        .order_by("reference")
    )
    return rows.filter(status=status) if status else rows


def status_counts(challenge, stage=None) -> dict[str, int]:
    counts = received(challenge, stage).values("status").annotate(n=Count("pk")).order_by()
    return {row["status"]: row["n"] for row in counts}


@dataclass(frozen=True)
class ReviewNotIn:
    """One assigned review not yet submitted: who has it and how far it has got (``labels.review_state``)."""

    assignment_id: int
    judge: str
    state: str


@dataclass(frozen=True)
class Unsubmitted:
    """A proposal in assessment and its reviews that are not submitted."""

    proposal: Proposal
    reviews: list[ReviewNotIn]

    @property
    def summary(self) -> str:
        """For example "2 reviews are not submitted: Alex Smith (draft), Priya Patel (…)": each review's state as
        ``labels.review_state`` names it, in lower case."""
        count = len(self.reviews)
        listed = ", ".join(f"{review.judge} ({review.state.lower()})" for review in self.reviews)
        return f"{count} review{' is' if count == 1 else 's are'} not submitted: {listed}"


def unsubmitted_reviews(proposals) -> list[Unsubmitted]:
    """Of ``proposals``, those in assessment with reviews assigned but not submitted, in reference order, each with
    the judges (by name) and the state of their reviews. One query."""
    assignments = (
        Assignment.objects.filter(
            proposal__in=[proposal.pk for proposal in proposals],
            proposal__status=S.IN_ASSESSMENT,
            stage_id=F("proposal__stage_id"),
        )
        .exclude(review__status=ReviewStatus.SUBMITTED)
        .select_related("proposal", "judge", "review")
        .annotate(marks=Count("review__scores"))
        .order_by("proposal__reference", "judge__first_name", "judge__last_name", "judge__email")
    )
    found: dict[int, Unsubmitted] = {}
    for assignment in assignments:
        state = review_state(getattr(assignment, "review", None), bool(assignment.marks))
        item = found.setdefault(assignment.proposal_id, Unsubmitted(assignment.proposal, []))
        item.reviews.append(ReviewNotIn(assignment.pk, judge_name(assignment.judge), state))
    return list(found.values())


# --- The panel ---------------------------------------------------------------------------------------------------


def panel_members(challenge, stage) -> QuerySet[PanelMember]:
    """Each seat on a stage's panel with the judge, their expertise and their workload in that stage, in two
    queries."""
    on_this_challenge = Q(judge__assignments__stage=stage)
    submitted = on_this_challenge & Q(judge__assignments__review__status=ReviewStatus.SUBMITTED)
    return (
        PanelMember.objects.filter(stage=stage)
        .select_related("judge")
        .prefetch_related("expertise")
        .annotate(
            assigned=Count("judge__assignments", filter=on_this_challenge, distinct=True),
            submitted=Count("judge__assignments", filter=submitted, distinct=True),
        )
        .order_by("judge__first_name", "judge__last_name", "judge__email")
    )


def panel_conflicts(challenge) -> QuerySet[Conflict]:
    """Organisation conflicts of this challenge's judges (any stage), and any conflict with one of its proposals.
    Staff see every declaration (judges' reasons included): they must check a conflicted judge never sees it."""
    judges = PanelMember.objects.filter(challenge=challenge).values("judge_id")
    return (
        Conflict.objects.filter(Q(organisation__isnull=False, judge_id__in=judges) | Q(proposal__challenge=challenge))
        .select_related("judge", "organisation", "proposal")
        .order_by("-declared_at", "-pk")
    )


def open_panel_invitations(challenge, stage) -> QuerySet[PanelInvitation]:
    return PanelInvitation.objects.open().filter(challenge=challenge, stage=stage).order_by("email")


def panel_invitation_of(challenge, invitation_id: int) -> PanelInvitation | None:
    return PanelInvitation.objects.filter(pk=invitation_id, challenge=challenge).first()


def panel_member_of(challenge, member_id: int) -> PanelMember | None:
    return PanelMember.objects.select_related("judge", "challenge").filter(pk=member_id, challenge=challenge).first()


# --- The audit log -----------------------------------------------------------------------------------------------


def audit_verbs(challenge) -> list[str]:
    return list(Event.objects.filter(challenge=challenge).values_list("verb", flat=True).distinct().order_by("verb"))


def audit_page(challenge, *, verb: str, page_number):
    """One page of the challenge's log, newest first, each event with its proposal's reference and its statuses'
    labels."""
    reference = Proposal.objects.filter(pk=OuterRef("proposal_id")).values("reference")[:1]
    events = events_for_challenge(challenge).annotate(proposal_reference=Subquery(reference))
    if verb:
        events = events.filter(verb=verb)
    page = Paginator(events, AUDIT_PER_PAGE).get_page(page_number)
    for event in page:
        event.from_label = STATUS_LABELS.get(event.from_status, event.from_status)
        event.to_label = STATUS_LABELS.get(event.to_status, event.to_status)
    return page


# --- Decisions and the announcement ------------------------------------------------------------------------------


def decision_rows(challenge) -> list[dict]:
    """Every proposal a decision can be made on, close calls first (the ones to discuss), then in ranking order,
    with the decision recorded so far."""
    decisions = {decision.proposal_id: decision for decision in Decision.objects.filter(proposal__challenge=challenge)}
    stage = judging_stage(challenge)
    rows = [
        row for row in with_chances(stage, ranking_order(challenge=challenge, stage=stage)) if row.status in DECIDABLE
    ]
    rows.sort(key=lambda row: not row.close_call)
    return [{"row": row, "decision": decisions.get(row.proposal_id)} for row in rows]


def outcome_recipients(challenge) -> dict:
    """Who the announcement will email: each member of each organisation whose proposal has an outcome,
    the same people ``services.decisions`` writes to. One query."""
    return outcome_memberships(challenge).aggregate(people=Count("pk"), suppliers=Count("organisation", distinct=True))


def award_counts(challenge) -> dict:
    return Proposal.objects.filter(challenge=challenge).aggregate(
        winners=Count("pk", filter=Q(status=S.WINNER)),
        commended=Count("pk", filter=Q(status=S.HIGHLY_COMMENDED)),
    )


# --- One proposal ------------------------------------------------------------------------------------------------


def proposal_of(challenge, proposal_id: int) -> Proposal | None:
    return (
        Proposal.objects.select_related("organisation", "stage", "decision__decided_by")
        .filter(pk=proposal_id, challenge=challenge)
        .first()
    )


def review_of(challenge, review_id: int) -> Review | None:
    return (
        Review.objects.select_related("assignment__judge")
        .filter(pk=review_id, assignment__proposal__challenge=challenge)
        .first()
    )


def latest_version(proposal: Proposal) -> ProposalVersion | None:
    return proposal.versions.order_by("-number").first()


def listed_file(proposal: Proposal, attachment_id: int) -> Attachment | None:
    """A file any submitted version of the proposal lists; None for anything else."""
    listed = any(
        entry.get("attachment") == attachment_id
        for files in proposal.versions.values_list("files", flat=True)
        for entry in files
    )
    return Attachment.objects.filter(pk=attachment_id, proposal=proposal).first() if listed else None


def proposal_events(proposal: Proposal) -> list[dict]:
    return [
        {
            "event": event,
            "from": STATUS_LABELS.get(event.from_status, event.from_status),
            "to": STATUS_LABELS.get(event.to_status, event.to_status),
        }
        for event in events_for_proposal(proposal)
    ]


def _version_value(version: ProposalVersion, question):
    if question.id == "consent_to_publish":
        return "yes" if version.consent_to_publish else "no"
    if question.id in STANDARD_FIELDS:
        return getattr(version, question.id) or None
    return version.answers.get(question.id)


def version_answers(version: ProposalVersion | None) -> list[dict]:
    """The answers as submitted, under the questions they answered (the version's own snapshot)."""
    if version is None:
        return []
    return [
        {
            "section": section,
            "answers": [
                {"question": question, "value": _version_value(version, question)} for question in section.questions
            ],
        }
        for section in sections_from_raw(version.questions)
    ]


def review_cards(proposal: Proposal, criteria) -> list[dict]:
    """Every review of the proposal in the stage it is in, with its scores in rubric order (scores on criteria
    since removed last)."""
    reviews = (
        Review.objects.filter(assignment__proposal=proposal, assignment__stage_id=proposal.stage_id)
        .select_related("assignment__judge")
        .prefetch_related("scores")
        .order_by("assignment__assigned_at", "pk")
    )
    names = {criterion.id: criterion for criterion in criteria}
    cards = []
    for review in reviews:
        scores = {score.criterion_id: score for score in review.scores.all()}
        marks = [{"criterion": criterion, "score": scores.get(criterion.id)} for criterion in criteria]
        marks += [{"criterion": None, "score": score} for key, score in sorted(scores.items()) if key not in names]
        state = review_state(review, bool(scores))
        cards.append({"review": review, "judge": judge_label(review.assignment.judge), "state": state, "marks": marks})
    return cards
