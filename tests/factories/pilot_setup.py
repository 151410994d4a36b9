"""A pilot on an announced award, made through the services as a manager would: milestones with payments, one
public and one private outcome measure. ``report_submitted`` and ``report_accepted`` move a report on."""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from judging.models import Decision
from judging.services.decisions import challenge_announce, decision_record
from pilots.models import Milestone, Pilot
from pilots.services.reports import report_accept, report_for, report_save, report_submit
from pilots.services.setup import MeasureRow, MilestoneRow, measures_save, milestones_save, pilot_create
from submissions.models import ProposalStatus as S
from tests.factories import UserFactory
from tests.factories.challenges import make_manager
from tests.factories.judging import closed_challenge
from tests.factories.organisations import make_organisation
from tests.factories.submissions import make_proposal


@dataclass
class PilotScene:
    challenge: object
    manager: object
    supplier: object
    proposal: object
    decision: Decision
    pilot: Pilot
    milestones: list[Milestone] = field(default_factory=list)
    measures: list = field(default_factory=list)


def announced_award(sponsor_index, sponsor, *, amount=Decimal("20000"), manager=None, title="Prevent homelessness"):
    """A challenge whose winner (``amount`` in pounds) is announced; returns (challenge, manager, supplier,
    proposal, decision)."""
    challenge = closed_challenge(sponsor_index, sponsor, title=title)
    manager = manager or make_manager(sponsor)
    supplier = UserFactory(verified=True)
    proposal = make_proposal(
        challenge,
        status=S.MODERATION,
        supplier=supplier,
        organisation=make_organisation(name="Brumtech Analytics Ltd", owner=supplier),
        title="Early Help Finder",
    )
    decision = decision_record(
        proposal=proposal, outcome="winner", feedback="For the supplier.", public_rationale="Clearest plan.", by=manager
    )
    Decision.objects.filter(pk=decision.pk).update(amount=amount)  # the amount's due diligence is judging's test
    challenge_announce(challenge=challenge, by=manager)
    challenge.refresh_from_db()
    decision.refresh_from_db()
    proposal.refresh_from_db()
    return challenge, manager, supplier, proposal, decision


def build_pilot_scene(sponsor_index, sponsor, *, milestones: int = 2, measures: int = 2, **award) -> PilotScene:
    challenge, manager, supplier, proposal, decision = announced_award(sponsor_index, sponsor, **award)
    today = timezone.localdate()
    pilot = pilot_create(
        decision=decision, starts_on=today + timedelta(days=7), ends_on=today + timedelta(days=200), by=manager
    )
    share = (decision.amount or Decimal("0")) / max(milestones, 1) // 1
    made = milestones_save(
        pilot=pilot,
        rows=[
            MilestoneRow(
                id=None,
                name=f"Milestone {n}",
                due_on=today + timedelta(days=30 * n),
                payment=share,
                deliverable=f"Deliverable {n}",
            )
            for n in range(1, milestones + 1)
        ],
        by=manager,
    )
    rows = [
        MeasureRow(None, "Households identified before crisis", "households", Decimal(0), Decimal(200), True, True),
        MeasureRow(None, "Caseworker hours per referral", "hours", Decimal(6), Decimal(2), False, False),
    ]
    rows += [
        MeasureRow(None, f"Extra measure {n}", "people", Decimal(0), Decimal(50), True, True)
        for n in range(3, measures + 1)
    ]
    agreed = measures_save(pilot=pilot, rows=rows[:measures], by=manager)
    pilot.refresh_from_db()
    return PilotScene(challenge, manager, supplier, proposal, decision, pilot, made, agreed)


def report_submitted(
    scene: PilotScene, milestone: Milestone, values: dict, *, narrative="Progress.", summary="What the pilot achieved."
):
    report = report_for(milestone)
    report_save(
        report=report,
        narrative=narrative,
        risks="",
        public_summary=summary,
        values={m.pk: str(values.get(m.name, "1")) for m in scene.measures},
        by=scene.supplier,
    )
    report_submit(report=report, by=scene.supplier)
    report.refresh_from_db()
    return report


def report_accepted(scene: PilotScene, milestone: Milestone, values: dict, **kwargs):
    report = report_submitted(scene, milestone, values, **kwargs)
    report_accept(report=report, by=scene.manager)
    report.refresh_from_db()
    return report
