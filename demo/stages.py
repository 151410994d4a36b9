"""Demo staged challenges: one run through every stage to its awards, and one in its pitch stage now.

Everything after the page itself goes through the services users call (``demo/stages_content.py`` has the facts),
each replayed at the moment it would have happened (``demo.clock``): entries before each deadline, screening and
progression after it, slots booked before the booking cutoff, attendance on the day, due diligence and decisions
before the announcement. A challenge is run once: a later seed finds its proposals and leaves it as it is, so
seeding twice makes nothing twice.
"""

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Membership, Organisation, User
from challenges.models import ChallengePage
from judging.models import Assignment, PitchSlot, ReviewStatus
from judging.rubric import criteria_from_raw
from judging.services.assignments import assignment_confirm_no_conflict, assignment_remove, assignments_auto
from judging.services.decisions import challenge_announce, decision_record
from judging.services.due_diligence import due_diligence_checklist, due_diligence_record
from judging.services.panel import panel_add
from judging.services.pitch import pitch_attendance_record, pitch_slot_book, pitch_slots_create
from judging.services.reviews import Mark, review_submit
from submissions.models import Proposal, ProposalStatus
from submissions.progression import proposal_not_take_forward, proposal_take_forward, stage_feedback_send
from submissions.questions import sections_from_raw
from submissions.services import (
    attachment_add,
    proposal_save_answers,
    proposal_start,
    proposal_submit,
    proposal_withdraw,
)
from submissions.workflow import PROGRESSABLE, proposal_transition

from .clock import as_of
from .dates import uk_moment
from .judging import _judge_variation
from .judging_content import COMMENTS, JUDGES
from .stages_content import DUE_DILIGENCE_NOTES, EOI_QUESTION, NEW_SUPPLIERS, PAST, PITCHING, Entrant, StagedChallenge
from .stages_pages import staged_page
from .suppliers import DEMO_PDF, upsert_supplier

S = ProposalStatus
DAY = timedelta(days=1)


def build_stages(upsert_user, password: str, sections, themes) -> list[tuple[str, str]]:
    """The staged challenges and the suppliers new to them. Returns (role, email) for each new account."""
    accounts = _suppliers(upsert_user, password)
    for spec, run in ((PAST, _run_past), (PITCHING, _run_pitching)):
        page = staged_page(spec, sections[spec.sponsor], themes)
        if not Proposal.objects.filter(challenge=page).exists():
            run(page, spec)
    return accounts


def _suppliers(upsert_user, password: str) -> list[tuple[str, str]]:
    accounts = []
    for data in NEW_SUPPLIERS:
        organisation, owner = upsert_supplier(data, upsert_user, password)
        accounts.append((f"Supplier, owner of {organisation.name}", owner.email))
    return accounts


def _owners() -> dict[str, tuple[Organisation, User]]:
    owners = Membership.objects.filter(role="owner").select_related("organisation", "user").order_by("pk")
    return {membership.organisation.slug: (membership.organisation, membership.user) for membership in owners}


# The steps, shared by both challenges.


def _manager(page) -> User:
    return User.objects.get(email=f"manager@{page.sponsor.slug}.example")


def _judges() -> list[User]:
    return [User.objects.get(email=email) for email, _, _ in JUDGES]


def _questions(stage) -> list:
    return [q for section in sections_from_raw(stage.questions.raw_data) for q in section.questions]


def _by_label(stage) -> dict:
    return {q.label: q for q in _questions(stage)}


def _fresh(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_related("challenge", "stage", "organisation").get(pk=proposal.pk)


def _enter(page, entrants: list[Entrant], owners) -> dict[str, Proposal]:
    """Every entrant's expression of interest, submitted five days before it closes."""
    eoi = page.stage_list[0]
    q = _by_label(eoi)
    proposals = {}
    with as_of(eoi.closes_at - 5 * DAY):
        for entrant in entrants:
            organisation, owner = owners[entrant.supplier]
            proposal = proposal_start(challenge=page, organisation=organisation, by=owner)
            values = {
                "title": entrant.title,
                "public_summary": entrant.summary,
                "consent_to_publish": "yes",
                q[EOI_QUESTION].id: f"{entrant.summary} We would pilot it with one team for six months.",
                q["How developed is it?"].id: "A prototype",
                q["Declaration"].id: True,
            }
            proposal = proposal_save_answers(proposal=proposal, values=values, questions=_questions(eoi), by=owner)
            proposal_submit(proposal=proposal, by=owner)
            proposals[entrant.supplier] = _fresh(proposal)
    return proposals


def _progress(stage, proposals, entrants, manager, *, feedback_of) -> None:
    """The end of a stage: each proposal taken forward, or not with its feedback, then the feedback released."""
    with as_of(stage.closes_at + 3 * DAY):
        for entrant in entrants:
            proposal = _fresh(proposals[entrant.supplier])
            if proposal.stage_id != stage.pk or proposal.status not in PROGRESSABLE:
                continue
            if feedback_of(entrant):
                proposal_not_take_forward(proposal=proposal, feedback=feedback_of(entrant), by=manager)
            else:
                proposal_take_forward(proposal=proposal, by=manager, note="")
    with as_of(stage.feedback_release_at):
        stage_feedback_send(stage=stage, by=manager)


def _screen(stage, proposals, manager) -> None:
    with as_of(stage.closes_at + DAY):
        for proposal in proposals.values():
            proposal = _fresh(proposal)
            if proposal.stage_id == stage.pk and proposal.status == S.SUBMITTED:
                proposal_transition(proposal=proposal, to=S.ELIGIBLE, by=manager)


def _full_proposals(page, proposals, entrants, owners) -> None:
    """Those invited write their full proposals, starting from the prefilled answer; one withdraws instead."""
    full = page.stage_list[1]
    q = _by_label(full)
    for entrant in entrants:
        proposal = _fresh(proposals[entrant.supplier])
        if proposal.stage_id != full.pk:
            continue
        _, owner = owners[entrant.supplier]
        if entrant.withdraws:
            with as_of(full.closes_at - 10 * DAY):
                proposal_withdraw(proposal=proposal, by=owner, reason=entrant.withdraws)
            continue
        values = {
            q["How will you measure success?"].id: "Journeys made, people reached and what each cost, reported "
            "monthly to the sponsor's team.",
            q["Cost of the pilot"].id: "9500",
            q["Declaration"].id: True,
        }
        upload = SimpleUploadedFile(f"{entrant.title} project plan.pdf", DEMO_PDF, content_type="application/pdf")
        with as_of(full.closes_at - 3 * DAY):
            proposal = proposal_save_answers(proposal=proposal, values=values, questions=_questions(full), by=owner)
            attachment_add(proposal=proposal, question=q["Project plan"], upload=upload, by=owner)
            proposal_submit(proposal=proposal, by=owner)


def _marks(stage, values: tuple[int, ...]) -> dict[str, Mark]:
    criteria = criteria_from_raw(stage.rubric.raw_data)
    return {
        criterion.id: Mark(min(value, criterion.scale_max), COMMENTS[position % len(COMMENTS)])
        for position, (criterion, value) in enumerate(zip(criteria, values, strict=False))
    }


def _judge(page, stage, marks_of: dict[int, tuple[int, ...]], manager, judges, *, when) -> None:
    """Seat the panel, assign it, and have each judge score and submit; then send the stage to moderation."""
    with as_of(when):
        for judge in judges:
            panel_add(challenge=page, stage=stage, judge=judge, by=manager)
        assignments_auto(challenge=page, stage=stage, by=manager)
    assignments = Assignment.objects.filter(stage=stage).select_related("proposal", "judge", "review")
    with as_of(when + 2 * DAY):
        for assignment in assignments.order_by("proposal__reference", "judge__email"):
            if assignment.proposal_id not in marks_of or assignment.review.status == ReviewStatus.SUBMITTED:
                continue
            assignment_confirm_no_conflict(assignment=assignment, by=assignment.judge)
            values = _judge_variation(marks_of[assignment.proposal_id], assignment.judge)
            review_submit(assignment=assignment, marks=_marks(stage, values), by=assignment.judge)
        for proposal in Proposal.objects.filter(stage=stage, status=S.IN_ASSESSMENT):
            proposal_transition(proposal=_fresh(proposal), to=S.MODERATION, by=manager)


def _written_stages(page, spec: StagedChallenge, owners, manager, judges) -> dict[str, Proposal]:
    """Expressions of interest in, screened and progressed; full proposals in, judged and progressed."""
    eoi, full, _ = page.stage_list
    proposals = _enter(page, spec.entrants, owners)
    _screen(eoi, proposals, manager)
    _progress(eoi, proposals, spec.entrants, manager, feedback_of=lambda entrant: entrant.eoi_feedback)
    _full_proposals(page, proposals, spec.entrants, owners)
    _screen(full, proposals, manager)
    marks_of = {proposals[e.supplier].pk: e.marks for e in spec.entrants}
    _judge(page, full, marks_of, manager, judges, when=full.closes_at + 2 * DAY)
    _progress(full, proposals, spec.entrants, manager, feedback_of=lambda entrant: entrant.full_feedback)
    return {supplier: _fresh(proposal) for supplier, proposal in proposals.items()}


def _slots(page, spec: StagedChallenge, proposals, owners, manager, order: list[int]) -> list[PitchSlot]:
    """The day's slots set up by the manager, then booked by the organisations invited, one after another."""
    pitch = page.stage_list[2]
    first = uk_moment((spec.pitch_day, 10))  # before the clock is turned back: dates are offsets from today
    with as_of(pitch.opens_at + DAY):
        slots = pitch_slots_create(
            stage=pitch,
            starts_at=first,
            count=spec.slots,
            minutes=30 if spec is PAST else 45,
            gap_minutes=10 if spec is PAST else 15,
            location=spec.location,
            by=manager,
        )
    slots = sorted(slots, key=lambda slot: slot.starts_at)
    pitching = [e for e in spec.entrants if e.books and _fresh(proposals[e.supplier]).stage_id == pitch.pk]
    for hours, (entrant, position) in enumerate(zip(pitching, order, strict=False)):
        _, owner = owners[entrant.supplier]
        with as_of(pitch.opens_at + 2 * DAY + hours * timedelta(hours=3)):
            pitch_slot_book(proposal=_fresh(proposals[entrant.supplier]), slot=slots[position], by=owner)
    return slots


# The two challenges.


def _run_pitching(page, spec: StagedChallenge) -> None:
    """Both written stages done; the pitch stage open, its panel assigned to every pitch (so each judge can score
    from the day's schedule), its slots set up and half of them booked."""
    owners, manager, judges = _owners(), _manager(page), _judges()
    proposals = _written_stages(page, spec, owners, manager, judges)
    pitch = page.stage_list[2]
    with as_of(pitch.opens_at + DAY):
        for judge in judges[:2]:
            panel_add(challenge=page, stage=pitch, judge=judge, by=manager)
        assignments_auto(challenge=page, stage=pitch, by=manager)
    _slots(page, spec, proposals, owners, manager, order=[0, 2, 3])


def _run_past(page, spec: StagedChallenge) -> None:
    """Every stage, the pitch day with one no-show, due diligence, two awards and the announcement."""
    owners, manager, judges = _owners(), _manager(page), _judges()
    proposals = _written_stages(page, spec, owners, manager, judges)
    pitch = page.stage_list[2]
    _slots(page, spec, proposals, owners, manager, order=list(range(spec.slots)))
    day_end = uk_moment((spec.pitch_day, 17))
    with as_of(day_end - timedelta(hours=1)):
        for slot in PitchSlot.objects.filter(stage=pitch, proposal__isnull=False).select_related("proposal"):
            entrant = next(e for e in spec.entrants if e.supplier == slot.proposal.organisation.slug)
            attendance = "no_show" if entrant.no_show else "attended"
            pitch_attendance_record(slot=slot, attendance=attendance, by=manager)
    attended = {proposals[e.supplier].pk: e.pitch for e in spec.entrants if e.outcome and not e.no_show}
    _judge(page, pitch, attended, manager, judges, when=day_end - 2 * DAY)
    _no_shows(spec, proposals, manager, when=day_end + DAY)
    _decide(page, spec, proposals, manager, when=day_end + 7 * DAY)
    with as_of(uk_moment(spec.announce)):
        challenge_announce(challenge=ChallengePage.objects.get(pk=page.pk), by=manager)


def _no_shows(spec, proposals, manager, *, when) -> None:
    """A no-show's reviews are withdrawn from the judges' lists: there was no pitch to score."""
    with as_of(when):
        for entrant in spec.entrants:
            if not entrant.no_show:
                continue
            proposal = _fresh(proposals[entrant.supplier])
            for assignment in Assignment.objects.filter(proposal=proposal, stage=proposal.stage):
                assignment_remove(assignment=assignment, by=manager, reason="Did not attend the pitch.")
            if proposal.status == S.IN_ASSESSMENT:
                proposal_transition(proposal=proposal, to=S.MODERATION, by=manager)


def _decide(page, spec: StagedChallenge, proposals, manager, *, when) -> None:
    """Shortlist the awards, complete due diligence for the winners, then record every decision."""
    awards = [e for e in spec.entrants if e.outcome in ("winner", "highly_commended")]
    with as_of(when):
        for entrant in awards:
            proposal_transition(proposal=_fresh(proposals[entrant.supplier]), to=S.SHORTLISTED, by=manager)
    with as_of(when + 5 * DAY):
        for entrant in awards:
            if not entrant.amount:
                continue
            for item in due_diligence_checklist(proposal=_fresh(proposals[entrant.supplier])):
                status, note = DUE_DILIGENCE_NOTES[item.name]
                due_diligence_record(item=item, status=status, note=note, by=manager)
    order = {"winner": 0, "highly_commended": 1, "not_selected": 2}
    decided = sorted((e for e in spec.entrants if e.outcome), key=lambda e: order[e.outcome])
    with as_of(when + 7 * DAY):
        for entrant in decided:
            decision_record(
                proposal=_fresh(proposals[entrant.supplier]),
                outcome=entrant.outcome,
                feedback=entrant.feedback,
                public_rationale=entrant.rationale,
                amount=Decimal(entrant.amount) if entrant.amount else None,
                by=manager,
            )
