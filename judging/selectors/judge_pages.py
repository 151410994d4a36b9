"""Reads for the judges' pages, each in a fixed number of queries however many assignments a judge has.

Everything a judge reads of a proposal comes from its latest submitted version, the exact text and files
the supplier sent. Under blind judging nothing here hands a template the organisation, its people or the
names the supplier gave its files: those can carry the company's name.
"""

import os
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import FormerMembership, Membership, Organisation
from submissions.models import Proposal, ProposalVersion
from submissions.questions import Question, sections_from_raw
from submissions.workflow import UNDER_REVIEW

from ..labels import DRAFT, NOT_STARTED, SUBMITTED, review_state
from ..models import Assignment, Conflict, PanelMember, Review, ReviewStatus, Score
from ..rubric import Criterion, criteria_from_raw

CONFLICT_CHECK = "Conflict check needed"
STATUS_COLOURS = {NOT_STARTED: "grey", CONFLICT_CHECK: "yellow", DRAFT: "blue", SUBMITTED: "green"}


def panel_seats(user) -> list[PanelMember]:
    """The panels the user sits on, soonest due first. Empty for anyone who is not a judge."""
    if not user.is_authenticated:
        return []
    return list(
        PanelMember.objects.filter(judge=user)
        .select_related("challenge", "stage")
        .order_by("challenge__judging_ends_at", "challenge__title", "stage__sort_order")
    )


@dataclass
class DashboardRow:
    assignment: Assignment
    status: str
    colour: str
    openable: bool


@dataclass
class DashboardGroup:
    challenge: object
    seat: PanelMember
    rows: list[DashboardRow] = field(default_factory=list)
    now: datetime | None = None

    @property
    def submitted(self) -> int:
        return sum(row.status == SUBMITTED for row in self.rows)

    @property
    def overdue(self) -> bool:
        due = self.challenge.judging_ends_at
        return bool(due and due < self.now and self.submitted < len(self.rows))


def _status(assignment: Assignment) -> str:
    state = review_state(getattr(assignment, "review", None), assignment.has_scores)
    if state != SUBMITTED and assignment.no_conflict_confirmed_at is None:
        return CONFLICT_CHECK
    return state


def visible_assignments(user):
    """The user's assignments a judge may list: on a panel they still sit on, proposal under review (or their
    review submitted, for the record), and never one they have a conflict with: declared, or by belonging to the
    proposing organisation (see ``permissions.belonged_while_prepared``)."""
    on_panel = PanelMember.objects.filter(judge=user, stage_id=OuterRef("stage_id"))
    conflicted = Conflict.objects.filter(judge=user).filter(
        Q(proposal_id=OuterRef("proposal_id")) | Q(organisation_id=OuterRef("proposal__organisation_id"))
    )
    member = Membership.objects.filter(user=user, organisation_id=OuterRef("proposal__organisation_id"))
    former_member = FormerMembership.objects.filter(
        user=user, organisation_id=OuterRef("proposal__organisation_id"), left_at__gte=OuterRef("proposal__created_at")
    )
    return (
        Assignment.objects.filter(judge=user)
        .filter(Exists(on_panel))
        .exclude(Exists(conflicted))
        .exclude(Exists(member))
        .exclude(Exists(former_member))
        .filter(
            Q(proposal__status__in=UNDER_REVIEW, proposal__stage_id=F("stage_id"))
            | Q(review__status=ReviewStatus.SUBMITTED)
        )
    )


def judge_dashboard(*, seats: list[PanelMember], user) -> list[DashboardGroup]:
    """One group per panel seat (a stage of a challenge), each listing the judge's assignments there."""
    now = timezone.now()
    groups = {seat.stage_id: DashboardGroup(challenge=seat.challenge, seat=seat, now=now) for seat in seats}
    assignments = (
        visible_assignments(user)
        .select_related("proposal", "proposal__organisation", "review")
        .annotate(has_scores=Exists(Score.objects.filter(review__assignment_id=OuterRef("pk"))))
        .order_by("proposal__reference")
    )
    for assignment in assignments:
        group = groups.get(assignment.stage_id)
        if group is None:
            continue
        status = _status(assignment)
        openable = assignment.proposal.status in UNDER_REVIEW and assignment.proposal.stage_id == assignment.stage_id
        group.rows.append(DashboardRow(assignment, status, STATUS_COLOURS[status], openable))
    return list(groups.values())


def assignment_for_page(assignment_id: int) -> Assignment | None:
    return (
        Assignment.objects.select_related("proposal__challenge", "proposal__organisation", "stage")
        .filter(pk=assignment_id)
        .first()
    )


def review_of(assignment: Assignment) -> Review | None:
    return Review.objects.filter(assignment=assignment).first()


def latest_version(proposal: Proposal) -> ProposalVersion | None:
    """What the judges of the proposal's stage read: its last submission in that stage, or (in a pitch stage,
    which has no written submission) its last one before."""
    versions = proposal.versions.order_by("-submitted_at", "-pk")
    return versions.filter(stage_id=proposal.stage_id).first() or versions.first()


def _extension(name: str) -> str:
    return os.path.splitext(name)[1].lstrip(".").lower() or "bin"


def file_display_name(*, proposal: Proposal, question_label: str, uploaded_name: str, blind: bool) -> str:
    """The uploaded name, or under blind judging a neutral one: the uploaded name may carry the company's."""
    if not blind:
        return uploaded_name
    return f"{proposal.reference}-{slugify(question_label) or 'file'}.{_extension(uploaded_name)}"


@dataclass(frozen=True)
class FileLink:
    attachment_id: int
    name: str
    size: int


@dataclass(frozen=True)
class AnswerRow:
    question: Question
    value: object
    file: FileLink | None


@dataclass(frozen=True)
class AnswerSection:
    title: str
    answers: list[AnswerRow]


def _questions_by_id(version: ProposalVersion) -> dict[str, Question]:
    return {question.id: question for section in sections_from_raw(version.questions) for question in section.questions}


def submitted_files(*, proposal: Proposal, version: ProposalVersion) -> dict[int, tuple[str, str]]:
    """Per attachment id in the version's manifest: (question label, uploaded name). Nothing else is served."""
    questions = _questions_by_id(version)
    files = {}
    for item in version.files or []:
        question = questions.get(item.get("question_id"))
        files[item["attachment"]] = (question.label if question else "file", item.get("name") or "")
    return files


def proposal_for_judge(*, proposal: Proposal, version: ProposalVersion | None) -> dict:
    """The submitted proposal as a judge reads it: the title, the public summary and every answered section."""
    if version is None:
        return {"version": None, "sections": [], "title": proposal.title, "summary": proposal.public_summary}
    blind = proposal.stage.blind_judging
    manifest = {item.get("question_id"): item for item in version.files or []}
    sections = []
    for section in sections_from_raw(version.questions)[1:]:
        rows = []
        for question in section.questions:
            link = None
            item = manifest.get(question.id) if question.kind == "file" else None
            if item is not None:
                name = file_display_name(
                    proposal=proposal, question_label=question.label, uploaded_name=item.get("name") or "", blind=blind
                )
                link = FileLink(attachment_id=item["attachment"], name=name, size=item.get("size") or 0)
            value = None if question.kind == "file" else version.answers.get(question.id)
            rows.append(AnswerRow(question=question, value=value, file=link))
        sections.append(AnswerSection(title=section.title, answers=rows))
    return {"version": version, "sections": sections, "title": version.title, "summary": version.public_summary}


@dataclass(frozen=True)
class ScoreRecord:
    criterion: Criterion
    value: int | None
    level: str
    comment: str


def criteria_for(proposal: Proposal) -> list[Criterion]:
    return criteria_from_raw(proposal.stage.rubric.raw_data)


def stored_marks(review: Review | None) -> dict[str, Score]:
    if review is None:
        return {}
    return {score.criterion_id: score for score in review.scores.all()}


def submitted_scores(criteria: list[Criterion], scores: dict[str, Score]) -> list[ScoreRecord]:
    """A submitted review, criterion by criterion, with the level descriptor of each score."""
    records = []
    for criterion in criteria:
        score = scores.get(criterion.id)
        value = score.value if score else None
        level = criterion.levels[value] if value is not None and value < len(criterion.levels) else ""
        records.append(ScoreRecord(criterion, value, level, score.comment if score else ""))
    return records


def conflicts_of(user) -> list[Conflict]:
    return list(
        Conflict.objects.filter(judge=user).select_related("organisation", "proposal").order_by("-declared_at", "-pk")
    )


def organisations_to_declare(user):
    """Every organisation, by name, except those the user has already declared a conflict with."""
    declared = Conflict.objects.filter(judge=user, organisation_id__isnull=False).values("organisation_id")
    return Organisation.objects.exclude(pk__in=declared).order_by("name")
