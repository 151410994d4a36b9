"""What the results, decisions and proposal pages read of a stage's decision confidence, as last worked out in the
background (``services.confidence``): never worked out here, so no page waits for it.

Judge-level figures (``StageFigures.calibration``) are for the challenge's managers: the results page is the only
page that shows them. The public record reads ``selectors.public.panel_record``, which carries panel-level figures only.
"""

from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import F, Value
from django.db.models.functions import Abs

from core.formatting import format_percent

from ..agreement import reading
from ..calibration import JudgeCalibration
from ..models import ProposalConfidence, StageConfidence
from ..stability import CLOSE_HIGH, CLOSE_LOW, DRAWS

CONFIDENCE_RULES = (
    f"The chance of a place is how often the proposal came within the places planned in {DRAWS:,} resamples of the "
    "panel: each resample draws every proposal's reviews again at random, with replacement, and ranks the "
    "proposals by the normalised scores drawn. The interval holds the middle 95 % of its resampled normalised "
    f"scores. A chance from {format_percent(CLOSE_LOW)} to {format_percent(CLOSE_HIGH)} is a close call: discuss it "
    "before deciding. A proposal with a single review has nothing to resample: its chance is 0 % or 100 %, whatever "
    "a second judge might think."
)
"""The stability figures in words, as the pages that show them state them."""

CLOSE_CALLS_NAMED = 20
"""The results page names this many close calls, closest to even first; the ranking's filter lists them all."""


class Chance(NamedTuple):
    """One proposal's place in the resamples: ``chance`` (0 to 1) of the top ``places``, and its interval."""

    chance: float
    low: float
    high: float
    close_call: bool
    places: int


@dataclass(frozen=True)
class CriterionAgreement:
    name: str
    alpha: float | None

    @property
    def reading(self) -> str:
        return reading(self.alpha)


@dataclass(frozen=True)
class CloseCall:
    proposal_id: int
    reference: str
    title: str
    chance: float


@dataclass(frozen=True)
class StageFigures:
    """A stage's stored figures with what the page says of them."""

    row: StageConfidence
    criteria: list[CriterionAgreement]
    close_calls: list[CloseCall]
    calibration: dict[int, JudgeCalibration]

    @property
    def reading(self) -> str:
        return reading(self.row.alpha)

    @property
    def disagree_most(self) -> list[CriterionAgreement]:
        """The criteria the judges agree on least: those read "poorly", or else the lowest one, if it is below the
        stage's own alpha; lowest first."""
        known = sorted((c for c in self.criteria if c.alpha is not None), key=lambda c: c.alpha)
        poor = [c for c in known if c.reading == "poorly"]
        if poor:
            return poor
        overall = self.row.alpha
        return known[:1] if known and overall is not None and known[0].alpha < overall else []

    @property
    def more_close_calls(self) -> int:
        return max(self.row.close_calls - len(self.close_calls), 0)


def stage_figures(stage) -> StageFigures | None:
    """The stage's figures, or None when none were asked for yet. Two queries: the row, and the close calls named."""
    row = StageConfidence.objects.filter(stage=stage).first()
    if row is None:
        return None
    named = (
        ProposalConfidence.objects.filter(stage=stage, close_call=True)
        .annotate(distance=Abs(F("chance") - Value(0.5)))
        .order_by("distance", "proposal__reference", "pk")
        .values_list("proposal_id", "proposal__reference", "proposal__title", "chance")[:CLOSE_CALLS_NAMED]
    )
    close = [CloseCall(pk, reference or "", title, chance) for pk, reference, title, chance in named]
    calibration = {
        judge["judge_id"]: JudgeCalibration(**(judge | {"reasons": tuple(judge["reasons"])}))
        for judge in row.calibration
    }
    criteria = [CriterionAgreement(criterion["name"], criterion["alpha"]) for criterion in row.criteria]
    return StageFigures(row=row, criteria=criteria, close_calls=close, calibration=calibration)


def chances(stage, proposal_ids=None) -> dict[int, Chance]:
    """Each proposal's chance in the stage (the proposals given, or all): one query."""
    rows = ProposalConfidence.objects.filter(stage=stage)
    if proposal_ids is not None:
        rows = rows.filter(proposal_id__in=list(proposal_ids))
    places = StageConfidence.objects.filter(stage=stage).values("places")[:1]
    lines = rows.annotate(places=places).values_list("proposal_id", "chance", "low", "high", "close_call", "places")
    return {line[0]: Chance(*line[1:]) for line in lines}


def uncertainty(proposal, *, awarding: bool) -> str:
    """The sentence asking a manager to record why, when a decision goes against what the resampled panel says
    clearly (``awarding`` a proposal with a chance of the top places of ``CLOSE_HIGH`` or less, or not selecting
    one with ``CLOSE_LOW`` or more); "" when the figures agree, or none were worked out."""
    found = chances(proposal.stage_id, [proposal.pk]).get(proposal.pk)
    if found is None:
        return ""
    where = f"a {format_percent(found.chance)} chance of being in the top {found.places}"
    if awarding and found.chance <= CLOSE_HIGH:
        return f"You are awarding a proposal with {where}: record why."
    if not awarding and found.chance >= CLOSE_LOW:
        return f"You are not selecting a proposal with {where}: record why."
    return ""


def with_chances(stage, rows: list) -> list:
    """Ranking lines (``RankedProposal``) with their stored chances: one query, whatever the number of lines."""
    found = chances(stage)
    return [
        row._replace(chance=line.chance, low=line.low, high=line.high, close_call=line.close_call)
        if (line := found.get(row.proposal_id))
        else row
        for row in rows
    ]


def places_planned(stage, figures: StageFigures | None = None) -> int:
    """The N of the stage's stored chances; the stage's own setting until they are worked out. Pass the figures
    when already read (``stage_figures``) to read nothing more."""
    if figures is not None:
        return figures.row.places if figures.row.computed else stage.places
    stored = StageConfidence.objects.filter(stage=stage, computed_at__isnull=False).values_list("places", flat=True)
    return stored.first() or stage.places
