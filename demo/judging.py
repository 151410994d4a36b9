"""Demo judging: a panel of three judges, a challenge being judged and a challenge whose winners are announced.

Everything goes through the judging services, so the audit log, the assignments and the outcome emails in the
outbox are what a real run would have left. The people acting are the demo judges and the sponsor's challenge
manager. Each step looks at what an earlier run made and only does what is still missing, so seeding twice
leaves one copy of everything and every review where the first run left it.

Both challenges closed before the demo is seeded, so their proposals are submitted through the suppliers' own
services replayed three days before the deadline (``demo.clock``), which rightly refuse once a challenge has
closed: the versions, references, receipts and audit events are what a real submission leaves.
"""

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Membership, Organisation, User
from challenges.models import ChallengePage
from judging.models import Assignment, Conflict, Decision, ReviewStatus
from judging.rubric import criteria_from_raw
from judging.services.assignments import assignment_confirm_no_conflict, assignments_auto
from judging.services.confidence import confidence_refresh
from judging.services.conflicts import conflict_declare
from judging.services.decisions import challenge_announce, decision_record
from judging.services.due_diligence import due_diligence_checklist, due_diligence_record
from judging.services.panel import panel_add
from judging.services.reviews import Mark, review_save, review_submit
from submissions.models import Proposal, ProposalStatus
from submissions.questions import sections_from_raw
from submissions.services import attachment_add, proposal_save_answers, proposal_start, proposal_submit
from submissions.workflow import UNDER_REVIEW, proposal_transition

from . import challenge_content
from .clock import as_of
from .dates import uk_moment
from .judging_content import (
    ANNOUNCED,
    ANNOUNCED_SLUG,
    BEING_JUDGED,
    COMMENTS,
    JUDGES,
    JUDGING_SLUG,
    MORE_SUPPLIERS,
    REVIEW_STATES,
    DemoProposal,
)
from .stages_content import DUE_DILIGENCE_NOTES
from .suppliers import DEMO_PDF, demo_answers, enable_staff_sign_in, upsert_supplier

S = ProposalStatus


def build_judging(upsert_user, password: str) -> list[tuple[str, str, str]]:
    """Judges, suppliers, proposals, conflicts, assignments, reviews and an announcement. Returns
    (role, email, two-factor recovery code or "") for each account to sign in with."""
    organisations = _suppliers(upsert_user, password)
    judges, judge_accounts = _judges(upsert_user, password)
    accounts = [
        (f"Supplier, owner of {organisations[data['slug']][0].name}", data["owner"][0], "") for data in MORE_SUPPLIERS
    ]
    accounts += judge_accounts
    judged = ChallengePage.objects.get(slug=JUDGING_SLUG)
    announced = ChallengePage.objects.get(slug=ANNOUNCED_SLUG)
    manager = _manager(judged)
    judged_proposals = _proposals(judged, BEING_JUDGED, organisations, manager)
    announced_proposals = _proposals(announced, ANNOUNCED, organisations, manager)
    for challenge in (judged, announced):
        for judge in judges:
            panel_add(challenge=challenge, judge=judge, by=manager)
    _conflicts(judges, organisations, judged_proposals)
    for challenge in (judged, announced):
        if Proposal.objects.filter(challenge=challenge, status=S.ELIGIBLE).exists():
            assignments_auto(challenge=challenge, by=_manager(challenge))
    _reviews_in_every_state(judged)
    _announce(announced, announced_proposals, _manager(announced))
    return accounts


def _manager(challenge: ChallengePage) -> User:
    return User.objects.get(email=f"manager@{challenge.sponsor.slug}.example")


def _suppliers(upsert_user, password: str) -> dict[str, tuple[Organisation, User]]:
    for data in MORE_SUPPLIERS:
        upsert_supplier(data, upsert_user, password)
    owners = Membership.objects.filter(role="owner").select_related("organisation", "user").order_by("pk")
    return {membership.organisation.slug: (membership.organisation, membership.user) for membership in owners}


def _judges(upsert_user, password: str) -> tuple[list[User], list[tuple[str, str, str]]]:
    judges, accounts = [], []
    for number, (email, first, last) in enumerate(JUDGES, start=1):
        judge = upsert_user(email, password, first_name=first, last_name=last, is_staff=False)
        codes = enable_staff_sign_in(judge)
        judges.append(judge)
        accounts.append((f"Judge {number}, {first} {last}", email, codes[0]))
    return judges, accounts


def _proposals(challenge, specs, organisations, manager) -> dict[str, Proposal]:
    """Each supplier's proposal, submitted before the deadline and screened."""
    found = {}
    for spec in specs:
        organisation, owner = organisations[spec.supplier]
        proposal = _submitted(challenge, organisation, owner, spec)
        if proposal.status == S.SUBMITTED:
            if spec.ineligible_because:
                proposal_transition(proposal=proposal, to=S.INELIGIBLE, by=manager, note=spec.ineligible_because)
            else:
                proposal_transition(proposal=proposal, to=S.ELIGIBLE, by=manager)
        found[spec.title] = proposal
    return found


def _submitted(challenge, organisation, owner, spec: DemoProposal) -> Proposal:
    """The supplier's proposal, answered, with its plan uploaded and submitted three days before the deadline,
    through the supplier's own services replayed at that moment (see ``demo.clock``)."""
    proposal = Proposal.objects.filter(challenge=challenge, organisation=organisation).first()
    if proposal is not None:
        return proposal
    questions = [
        q for section in sections_from_raw(challenge.first_stage.questions.raw_data) for q in section.questions
    ]
    answers = demo_answers(challenge, spec.title) | {
        "public_summary": spec.summary,
        "consent_to_publish": "yes" if spec.consent else "no",
    }
    plan = next(question for question in questions if question.kind == "file")
    upload = SimpleUploadedFile(f"{spec.title} project plan.pdf", DEMO_PDF, content_type="application/pdf")
    with as_of(challenge.closes_at - timedelta(days=3)):
        proposal = proposal_start(challenge=challenge, organisation=organisation, by=owner)
        proposal = proposal_save_answers(proposal=proposal, values=answers, questions=questions, by=owner)
        attachment_add(proposal=proposal, question=plan, upload=upload, by=owner)
        proposal_submit(proposal=proposal, by=owner)
    return Proposal.objects.get(pk=proposal.pk)


def _conflicts(judges: list[User], organisations, proposals: dict[str, Proposal]) -> None:
    """Judge 3 knows one supplier well; judge 2 knows someone on one proposal's team. Declared before
    assignment, so the automatic assignment steers round them."""
    kindred, _ = organisations["kindred-futures"]
    if not Conflict.objects.filter(judge=judges[2], organisation=kindred).exists():
        conflict_declare(
            judge=judges[2],
            organisation=kindred,
            reason="I volunteered at one of their library cafés last year.",
            by=judges[2],
        )
    proposal = proposals["Confident Online in 10 Weeks"]
    if not Conflict.objects.filter(judge=judges[1], proposal=proposal).exists():
        conflict_declare(
            judge=judges[1],
            proposal=proposal,
            reason="A close friend is named in the delivery team.",
            by=judges[1],
        )


def _marks(challenge, values: tuple[int, ...], upto: int | None = None) -> dict[str, Mark]:
    criteria = criteria_from_raw(challenge.first_stage.rubric.raw_data)[:upto]
    return {
        criterion.id: Mark(min(value, criterion.scale_max), COMMENTS[position % len(COMMENTS)])
        for position, (criterion, value) in enumerate(zip(criteria, values, strict=False))
    }


def _judge_variation(values: tuple[int, ...], judge) -> tuple[int, ...]:
    """Judges rarely agree on every criterion: each marks a point lower on different criteria."""
    return tuple(max(0, value - ((position + judge.pk) % 3 == 0)) for position, value in enumerate(values))


def _assignments(challenge):
    return list(
        Assignment.objects.filter(proposal__challenge=challenge)
        .select_related("proposal__challenge", "judge", "review")
        .order_by("proposal__reference", "judge__email")
    )


def _reviews_in_every_state(challenge) -> None:
    """Move each review forward to its planned state, never back: a second run finds them already there, and a
    proposal someone has since withdrawn or moved on is left as it is."""
    for position, assignment in enumerate(_assignments(challenge)):
        state = REVIEW_STATES[position % len(REVIEW_STATES)]
        if state == "conflict check pending" or assignment.proposal.status not in UNDER_REVIEW:
            continue
        judge, review = assignment.judge, assignment.review
        assignment_confirm_no_conflict(assignment=assignment, by=judge)
        values = (4, 3, 4, 3, 4) if position % 3 else (3, 2, 3, 4, 3)
        if state == "draft" and not review.scores.exists():
            review_save(assignment=review.assignment, marks=_marks(challenge, values, upto=2), by=judge)
        elif state == "submitted" and review.status == ReviewStatus.DRAFT:
            review_submit(assignment=review.assignment, marks=_marks(challenge, values), by=judge)


def _announce(challenge, proposals: dict[str, Proposal], manager) -> None:
    """Reviews submitted, moderation, a decision for each proposal and the announcement, as a manager would.

    The decision confidence is worked out before the decisions, as the background task would have by the time
    the panel met (the seed's one transaction would otherwise hold it back until the end): the close calls'
    decisions need their reasons, as a manager's would."""
    if challenge.announced_at is None:
        marks_of = {spec.title: spec.marks for spec in ANNOUNCED}
        panel = [email for email, _, _ in JUDGES]
        for assignment in _assignments(challenge):
            if assignment.review.status == ReviewStatus.DRAFT:
                assignment_confirm_no_conflict(assignment=assignment, by=assignment.judge)
                values = marks_of[assignment.proposal.title][panel.index(assignment.judge.email)]
                review_submit(
                    assignment=assignment.review.assignment, marks=_marks(challenge, values), by=assignment.judge
                )
        confidence_refresh(stage_id=challenge.first_stage.pk)
        decided = set(Decision.objects.filter(proposal__challenge=challenge).values_list("proposal_id", flat=True))
        for spec in ANNOUNCED:
            proposal = Proposal.objects.get(pk=proposals[spec.title].pk)
            if not spec.outcome or proposal.pk in decided:
                continue
            if proposal.status == S.IN_ASSESSMENT:
                proposal = proposal_transition(proposal=proposal, to=S.MODERATION, by=manager)
            if spec.amount:
                proposal = _due_diligence_done(proposal, manager)
            decision_record(
                proposal=proposal,
                outcome=spec.outcome,
                feedback=spec.feedback,
                public_rationale=spec.rationale,
                amount=Decimal(spec.amount) if spec.amount else None,
                uncertainty_reason=spec.uncertainty_reason,
                by=manager,
            )
        challenge_announce(challenge=challenge, by=manager)
    _announced_as_planned(challenge)


def _due_diligence_done(proposal: Proposal, manager) -> Proposal:
    """An award of money needs the proposal shortlisted and its due diligence complete."""
    if proposal.status == S.MODERATION:
        proposal = proposal_transition(proposal=proposal, to=S.SHORTLISTED, by=manager)
    for item in due_diligence_checklist(proposal=proposal):
        status, note = DUE_DILIGENCE_NOTES[item.name]
        due_diligence_record(item=item, status=status, note=note, by=manager)
    return proposal


def _announced_as_planned(challenge) -> None:
    """Record the announcement at the demo's planned time rather than the moment of seeding. The announcement
    fixes the key dates it records, and the demo's dates move on with every run: this keeps them in step."""
    demo = next(demo for demo in challenge_content.CHALLENGES if demo.slug == challenge.slug)
    dates = {
        "judging_starts_at": uk_moment(demo.judging_starts),
        "judging_ends_at": uk_moment(demo.judging_ends),
        "announce_at": uk_moment(demo.announce),
        "announced_at": uk_moment(demo.announce),
    }
    ChallengePage.objects.filter(pk=challenge.pk).update(**dates)
    Decision.objects.filter(proposal__challenge=challenge).update(announced_at=dates["announced_at"])
