"""The public record of a pilot: what anyone may read about what an award delivered, decided here and only here.

A pilot is public once its award is (an award of an announced challenge, ``judging.selectors.public``). Of the
pilot the public sees its dates and status with the published reason, how many milestones are done, the money
awarded and paid so far, and each **public** measure's baseline, target and the values of **accepted** reports.
Nothing from a draft, a submitted report not yet accepted, a request for changes, the narrative or the risks, a
non-public measure, or the evidence files. The final report's public summary appears once that report is
accepted.

The winner page, the archive, the JSON API and the CSV all build what they show from ``PublicScorecard``.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch

from submissions.workflow import AWARDS

from ..models import NEEDS_REASON, Measure, MeasureValue, Milestone, Pilot, PilotStatus, ReportStatus


@dataclass(frozen=True)
class Reading:
    """One accepted value of a measure: the milestone it was reported at, and when."""

    milestone: str
    on: date
    value: Decimal


@dataclass(frozen=True)
class PublicMeasure:
    id: int
    name: str
    unit: str
    baseline: Decimal
    target: Decimal
    higher_is_better: bool
    readings: list[Reading]
    """Accepted values, oldest first."""

    @property
    def latest(self) -> Decimal | None:
        return self.readings[-1].value if self.readings else None

    @property
    def reached(self) -> bool | None:
        """Whether the latest accepted value meets the target; None before any."""
        if self.latest is None:
            return None
        return self.latest >= self.target if self.higher_is_better else self.latest <= self.target

    @property
    def progress(self) -> float | None:
        """How far from the baseline to the target the latest value has come, from 0 to 1 (or past 1); None before any
        value, or when the target equals the baseline."""
        if self.latest is None or self.target == self.baseline:
            return None
        return float((self.latest - self.baseline) / (self.target - self.baseline))


@dataclass(frozen=True)
class Moment:
    """A point on the timeline from the challenge to the pilot's outcome."""

    on: date | datetime
    label: str
    done: bool


@dataclass(frozen=True)
class PublicScorecard:
    pilot_id: int
    proposal_id: int
    status: str
    status_label: str
    status_colour: str
    status_reason: str
    """Published for at risk, complete and stopped; empty otherwise."""
    status_changed_at: datetime | None
    """When the status last changed (None while it is the first one)."""
    starts_on: date
    ends_on: date
    milestones_done: int
    milestones_total: int
    award_amount: Decimal
    paid: Decimal
    final_summary: str
    measures: list[PublicMeasure] = field(default_factory=list)
    timeline: list[Moment] = field(default_factory=list)


def public_pilots():
    """Pilots whose award is public: a winner or highly commended proposal of an announced challenge."""
    return Pilot.objects.filter(
        decision__proposal__challenge__announced_at__isnull=False,
        decision__proposal__status__in=AWARDS,
        decision__outcome__in=AWARDS,
    )


def _accepted_values(pilot_ids: list[int]) -> dict[int, list[MeasureValue]]:
    values = (
        MeasureValue.objects.filter(
            measure__pilot_id__in=pilot_ids,
            measure__is_public=True,
            report__status=ReportStatus.ACCEPTED,
            value__isnull=False,
        )
        .select_related("report__milestone")
        .order_by("report__milestone__due_on", "report__milestone_id")
    )
    by_measure: dict[int, list[MeasureValue]] = defaultdict(list)
    for value in values:
        by_measure[value.measure_id].append(value)
    return by_measure


def _timeline(pilot: Pilot, milestones: list[Milestone], today: date) -> list[Moment]:
    challenge = pilot.decision.proposal.challenge
    moments = [Moment(stage.opens_at, f"{stage.name} opened", True) for stage in challenge.stage_list]
    moments.append(Moment(challenge.announced_at, "Award announced", True))
    moments.append(Moment(pilot.starts_on, "Pilot starts", pilot.starts_on <= today))
    for milestone in milestones:
        accepted = milestone.report_status == ReportStatus.ACCEPTED
        moments.append(Moment(milestone.due_on, f"Milestone: {milestone.name}", accepted))
    if pilot.status == PilotStatus.STOPPED:
        moments.append(Moment(pilot.status_changed_at or pilot.updated_at, "Pilot stopped early", True))
    elif pilot.status == PilotStatus.COMPLETE:
        moments.append(Moment(pilot.status_changed_at or pilot.ends_on, "Pilot complete", True))
    else:
        moments.append(Moment(pilot.ends_on, "Pilot due to end", False))
    return moments


def public_scorecards(proposal_ids, *, today: date, timeline: bool = False) -> dict[int, PublicScorecard]:
    """The scorecards of these proposals' pilots (where one exists and is public), by proposal id: a fixed number
    of queries however many pilots, milestones, measures or reports. ``timeline`` adds the stages' dates (one
    query per challenge: ask for it on one winner's page, not a list)."""
    milestones = Milestone.objects.with_report().order_by("due_on", "pk")
    pilots = list(
        public_pilots()
        .filter(decision__proposal_id__in=list(proposal_ids))
        .select_related("decision__proposal__challenge")
        .prefetch_related(
            Prefetch("milestones", queryset=milestones),
            Prefetch("measures", queryset=Measure.objects.filter(is_public=True).order_by("sort_order", "pk")),
        )
    )
    values = _accepted_values([pilot.pk for pilot in pilots])
    cards = {}
    for pilot in pilots:
        pilot_milestones = list(pilot.milestones.all())
        done = sum(1 for m in pilot_milestones if m.report_status == ReportStatus.ACCEPTED)
        measures = [
            PublicMeasure(
                id=measure.pk,
                name=measure.name,
                unit=measure.unit,
                baseline=measure.baseline,
                target=measure.target,
                higher_is_better=measure.higher_is_better,
                readings=[
                    Reading(v.report.milestone.name, v.report.milestone.due_on, v.value) for v in values[measure.pk]
                ],
            )
            for measure in pilot.measures.all()
        ]
        cards[pilot.decision.proposal_id] = PublicScorecard(
            pilot_id=pilot.pk,
            proposal_id=pilot.decision.proposal_id,
            status=pilot.status,
            status_label=pilot.get_status_display(),
            status_colour=pilot.status_colour,
            status_reason=pilot.status_reason if pilot.status in NEEDS_REASON else "",
            status_changed_at=pilot.status_changed_at,
            starts_on=pilot.starts_on,
            ends_on=pilot.ends_on,
            milestones_done=done,
            milestones_total=len(pilot_milestones),
            award_amount=pilot.award_amount,
            paid=pilot.payments_approved,
            final_summary=pilot_milestones[-1].accepted_summary if pilot_milestones else "",
            measures=measures,
            timeline=_timeline(pilot, pilot_milestones, today) if timeline else [],
        )
    return cards


def public_scorecard(proposal, *, today: date) -> PublicScorecard | None:
    """One award's scorecard with its timeline, or None where it has no public pilot."""
    return public_scorecards([proposal.pk], today=today, timeline=True).get(proposal.pk)
