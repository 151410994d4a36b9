"""Demo pilots: the archive's history and the current winners starting out.

The 2017-18 Urban Challenge (``demo/pilots_content.py`` has the facts) is run the way it happened: proposals
submitted before the January 2018 deadline, screened, judged, shortlisted, due diligence, decisions and the March
2018 announcement; then each winner's pilot set up, its measures agreed before it started, its reports written,
sent back, revised and accepted, and its status changed, each step through the services users call, replayed at
the moment it happened (``demo.clock``). The current winners' pilots are set up the same way, a few weeks back.

A challenge is run once (a later seed finds its proposals) and a pilot is set up once (a later seed finds it), so
seeding twice makes nothing twice.
"""

import struct
import zlib
from dataclasses import replace
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from challenges.models import ChallengePage
from judging.models import Decision
from judging.services.decisions import challenge_announce
from pilots.models import Pilot
from pilots.services.reports import (
    report_accept,
    report_attach_evidence,
    report_for,
    report_request_changes,
    report_save,
    report_submit,
)
from pilots.services.setup import (
    MeasureRow,
    MilestoneRow,
    measures_save,
    milestones_save,
    pilot_create,
    pilot_status_set,
)
from submissions.models import Proposal
from submissions.questions import sections_from_raw
from submissions.services import attachment_add, proposal_save_answers, proposal_start, proposal_submit

from . import challenge_content
from .clock import as_of
from .dates import UK
from .pilots_content import (
    ANNOUNCE,
    CLOSES,
    CURRENT_PILOTS,
    JUDGING_ENDS,
    JUDGING_STARTS,
    OPENS,
    PAST_PILOTS,
    PAST_SUPPLIERS,
    MilestonePlan,
    PastChallenge,
    PilotPlan,
    past_challenges,
)
from .stages import _decide, _fresh, _judge, _judges, _manager, _owners, _screen
from .suppliers import DEMO_PDF, demo_answers, upsert_supplier

DAY = timedelta(days=1)
SPONSOR = "west-midlands-combined-authority"


def build_pilots(upsert_user, password: str, sections, themes, build_challenge) -> list[tuple[str, str]]:
    """The past programme with its pilots, and the current winners' pilots. Returns (role, email) for each new
    account. ``build_challenge`` is the builder's, which makes every demo challenge page."""
    accounts = []
    for data in PAST_SUPPLIERS:
        organisation, owner = upsert_supplier(data, upsert_user, password)
        accounts.append((f"Supplier, owner of {organisation.name} (2018 pilot)", owner.email))
    for spec in past_challenges():
        page = build_challenge(_as_demo_challenge(spec), sections[SPONSOR], themes)
        if not Proposal.objects.filter(challenge=page).exists():
            _run_past(ChallengePage.objects.get(pk=page.pk), spec)
    for plan in PAST_PILOTS:
        decision = _decision(plan.challenge, plan.supplier)
        if not Pilot.objects.filter(decision=decision).exists():
            _run_pilot(plan, decision)
    for current in CURRENT_PILOTS:
        decision = _decision(current.challenge, current.supplier)
        if not Pilot.objects.filter(decision=decision).exists():
            _run_pilot(_dated(current), decision, draft_next=current.accepted_first)
    return accounts


def _offset(moment: datetime) -> tuple[int, int]:
    return ((moment.date() - timezone.localdate(timezone=UK)).days, moment.hour)


def _as_demo_challenge(spec: PastChallenge) -> challenge_content.DemoChallenge:
    """The challenge page as the builder makes every demo challenge, at the programme's real dates."""
    return challenge_content.DemoChallenge(
        slug=spec.slug,
        title=spec.title,
        sponsor=SPONSOR,
        themes=[spec.theme],
        summary=spec.summary,
        problem=[("paragraph", f"<p>{spec.problem}</p>")],
        what_we_seek="<p>Technology a small team could pilot within a year in the region, with a clear measure of "
        "success.</p>",
        eligibility=challenge_content.ELIGIBILITY,
        funding=spec.funding,
        funding_detail=f"<p>Up to £{spec.funding:,} in all, paid to the winning pilots against milestones.</p>",
        opens=_offset(OPENS),
        closes=_offset(CLOSES),
        judging_starts=_offset(JUDGING_STARTS),
        judging_ends=_offset(JUDGING_ENDS),
        announce=_offset(ANNOUNCE),
        faqs=challenge_content.STANDARD_FAQS,
        judges_per_proposal=2,
        places=sum(1 for entrant in spec.entrants if entrant.outcome in ("winner", "highly_commended")),
    )


def _run_past(page: ChallengePage, spec: PastChallenge) -> None:
    """Entries before the deadline, screening, judging, due diligence, decisions and the announcement."""
    owners, manager, judges = _owners(), _manager(page), _judges()
    stage = page.first_stage
    proposals = {entrant.supplier: _enter(page, entrant, owners) for entrant in spec.entrants}
    _screen(stage, proposals, manager)
    marks_of = {proposals[e.supplier].pk: e.marks for e in spec.entrants}
    _judge(page, stage, marks_of, manager, judges, when=JUDGING_STARTS)
    _decide(page, spec, {slug: _fresh(p) for slug, p in proposals.items()}, manager, when=JUDGING_ENDS + DAY)
    with as_of(ANNOUNCE):
        challenge_announce(challenge=ChallengePage.objects.get(pk=page.pk), by=manager)


def _enter(page: ChallengePage, entrant, owners) -> Proposal:
    organisation, owner = owners[entrant.supplier]
    questions = [q for section in sections_from_raw(page.first_stage.questions.raw_data) for q in section.questions]
    by_label = {q.label: q for q in questions}
    answers = demo_answers(page, entrant.title) | {
        "public_summary": entrant.summary,
        by_label["How does your solution address the problem?"].id: entrant.summary,
        by_label["Cost of the pilot"].id: str(entrant.amount or 30000),
        by_label["Earliest start date"].id: "2018-04-16",
    }
    plan = by_label["Project plan"]
    upload = SimpleUploadedFile(f"{entrant.title} project plan.pdf", DEMO_PDF, content_type="application/pdf")
    with as_of(CLOSES - 4 * DAY):
        proposal = proposal_start(challenge=page, organisation=organisation, by=owner)
        proposal = proposal_save_answers(proposal=proposal, values=answers, questions=questions, by=owner)
        attachment_add(proposal=proposal, question=plan, upload=upload, by=owner)
        proposal_submit(proposal=proposal, by=owner)
    return _fresh(proposal)


def _decision(challenge_slug: str, supplier: str) -> Decision:
    return Decision.objects.select_related("proposal__challenge", "proposal__organisation").get(
        proposal__challenge__slug=challenge_slug, proposal__organisation__slug=supplier
    )


def _at(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UK)


def _dated(current) -> PilotPlan:
    """A current pilot as a plan with calendar dates, from its offsets: the first report accepted and the second
    begun as a draft, or none yet."""
    today = timezone.localdate(timezone=UK)
    milestones = []
    for position, (name, due, payment, deliverable) in enumerate(current.milestones):
        plan = MilestonePlan(name, today + due * DAY, payment, deliverable)
        if current.accepted_first and position == 0:
            plan = replace(
                plan,
                values=("180", "1", "3"),
                narrative="Timetables, stop data and shift patterns from the first employer are loaded. 180 of its "
                "night-shift workers have been shown a journey that gets them in on time; 3 gaps in early services "
                "reported to the bus operator.",
                evidence="csv",
            )
        if current.accepted_first and position == 1:
            plan = replace(
                plan,
                values=("410", "", ""),
                narrative="The second employer went live last week.",
                outcome="draft",
            )
        milestones.append(plan)
    starts_on = today + current.starts * DAY
    started = [(_at(starts_on, 9), "on_track", "")] if current.starts <= 0 else []
    return PilotPlan(
        challenge=current.challenge,
        supplier=current.supplier,
        set_up=_at(today + current.set_up * DAY, 10),
        starts_on=starts_on,
        ends_on=today + current.ends * DAY,
        measures=current.measures,
        milestones=milestones,
        statuses=started,
    )


def _run_pilot(plan: PilotPlan, decision: Decision, *, draft_next: bool = False) -> Pilot:
    """Set the pilot up, then play its reports and status changes in the order they happened."""
    challenge = decision.proposal.challenge
    manager = _manager(challenge)
    owner = User.objects.get(memberships__organisation=decision.proposal.organisation, memberships__role="owner")
    with as_of(plan.set_up):
        pilot = pilot_create(decision=decision, starts_on=plan.starts_on, ends_on=plan.ends_on, by=manager)
        milestones_save(
            pilot=pilot,
            rows=[MilestoneRow(None, m.name, m.due_on, Decimal(m.payment), m.deliverable) for m in plan.milestones],
            by=manager,
        )
        measures_save(
            pilot=pilot,
            rows=[
                MeasureRow(
                    None,
                    m.name,
                    m.unit,
                    Decimal(m.baseline),
                    Decimal(m.target),
                    m.higher_is_better,
                    m.is_public,
                )
                for m in plan.measures
            ],
            by=manager,
        )
    steps = [(when, _status_step(pilot, status, reason, manager)) for when, status, reason in plan.statuses]
    milestones = list(pilot.milestones.order_by("due_on"))
    for milestone, spec in zip(milestones, plan.milestones, strict=True):
        if spec.values:
            steps += _report_steps(pilot, milestone, spec, owner, manager)
    for when, step in sorted(steps, key=lambda pair: pair[0]):
        with as_of(when):
            step()
    return pilot


def _status_step(pilot, status: str, reason: str, manager):
    return lambda: pilot_status_set(pilot=pilot, status=status, reason=reason, by=manager)


def _report_steps(pilot, milestone, spec: MilestonePlan, owner, manager) -> list:
    """The supplier writes and submits two days before the report is due; the manager reviews it four days after.
    A "revised" report goes back once with the manager's comment and is resubmitted; a "draft" is only begun."""
    due = spec.due_on

    def write(narrative: str) -> None:
        measures = list(pilot.measures.all())
        report_save(
            report=report_for(milestone),
            narrative=narrative,
            risks="",
            public_summary=spec.summary,
            values={measure.pk: value for measure, value in zip(measures, spec.values, strict=True)},
            by=owner,
        )

    def draft() -> None:
        write(spec.narrative)

    def submit() -> None:
        write(spec.narrative)
        if spec.evidence:
            report_attach_evidence(report=report_for(milestone), upload=_evidence(pilot, spec), by=owner)
        report_submit(report=report_for(milestone), by=owner)

    def accept() -> None:
        report_accept(report=report_for(milestone), by=manager, comment="Thank you: accepted.")

    def send_back() -> None:
        report_request_changes(report=report_for(milestone), comment=spec.changes, by=manager)

    def resubmit() -> None:
        write(f"{spec.narrative} {spec.revision}")
        report_submit(report=report_for(milestone), by=owner)

    if spec.outcome == "draft":
        return [(min(_at(due - 5 * DAY, 16), timezone.now() - 2 * DAY), draft)]
    steps = [(_at(due - 2 * DAY, 15), submit)]
    if spec.outcome == "revised":
        steps += [(_at(due + 3 * DAY, 11), send_back), (_at(due + 6 * DAY, 14), resubmit)]
        steps.append((_at(due + 8 * DAY, 11), accept))
    elif spec.outcome == "accepted":
        steps.append((_at(due + 4 * DAY, 11), accept))
    return steps


def _evidence(pilot, spec: MilestonePlan) -> SimpleUploadedFile:
    """A small file of the kind a supplier attaches: a progress report (PDF), a dashboard screenshot (PNG) or the
    figures (CSV)."""
    title = pilot.decision.proposal.title
    if spec.evidence == "png":
        return SimpleUploadedFile(f"{title} dashboard.png", _png(), content_type="image/png")
    if spec.evidence == "csv":
        rows = ["measure,value"] + [
            f'"{m.name}",{value}' for m, value in zip(pilot.measures.all(), spec.values, strict=True)
        ]
        return SimpleUploadedFile(f"{title} figures.csv", ("\n".join(rows) + "\n").encode(), content_type="text/csv")
    return SimpleUploadedFile(f"{title} progress report.pdf", DEMO_PDF, content_type="application/pdf")


def _png(width: int = 16, height: int = 8) -> bytes:
    """A small valid PNG: a bar in the platform's blue."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes((29, 112, 184)) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )
