"""What the results page and its exports read: the ranking with the filters a manager chose, criterion means for
the page shown, and each judge's calibration. The order is worked out over every proposal in one query
(``ranking``); only the shown page's rows read their criterion means."""

from dataclasses import dataclass

from django.conf import settings
from django.http import QueryDict
from wagtail.admin.paginator import WagtailPaginator

from submissions.models import ProposalStatus

from ..chart import calibration_summaries, calibration_svg
from ..forms import RankingFilterForm
from ..models import ProposalStanding
from ..rubric import criteria_from_raw
from .confidence import places_planned, stage_figures, with_chances
from .ranking import DEFAULT_SPREAD_THRESHOLD, PLACES, RankedProposal, challenge_ranking
from .ranking_page import RankingWindow

PER_PAGE = 50
"""Rows per page of the ranking: 10,000 rows would take seconds to render and nobody reads them on one page."""


class ProposalPaginator(WagtailPaginator):
    """Wagtail's admin paginator, counting "proposals" rather than "items" under the page links."""

    verbose_name = "proposal"
    verbose_name_plural = "proposals"


@dataclass(frozen=True)
class RankingFilters:
    """The filters a results page or an export was asked for. A value the form refuses (an unknown status, a
    negative or non-numeric minimum) is dropped rather than reported: these are links people share and edit,
    and the page should still show the ranking."""

    status: str = ""
    min_reviews: int | None = None
    flagged: bool = False
    close_calls: bool = False

    @classmethod
    def from_query(cls, query: QueryDict) -> "RankingFilters":
        form = RankingFilterForm(query)
        form.is_valid()
        data = form.cleaned_data
        return cls(
            status=data.get("status") or "",
            min_reviews=data.get("min_reviews"),
            flagged=bool(data.get("flagged")),
            close_calls=bool(data.get("close_calls")),
        )

    def keep(self, row: RankedProposal) -> bool:
        if self.status and row.status != self.status:
            return False
        if self.min_reviews is not None and row.review_count < self.min_reviews:
            return False
        if self.close_calls and not row.close_call:
            return False
        return not (self.flagged and not row.flagged)

    def apply(self, rows: list[RankedProposal]) -> list[RankedProposal]:
        return [row for row in rows if self.keep(row)]

    def as_query(self) -> QueryDict:
        query = QueryDict(mutable=True)
        if self.status:
            query["status"] = self.status
        if self.min_reviews is not None:
            query["min_reviews"] = str(self.min_reviews)
        if self.flagged:
            query["flagged"] = "1"
        if self.close_calls:
            query["close_calls"] = "1"
        return query

    @property
    def active(self) -> bool:
        return bool(self.as_query())

    def form(self) -> RankingFilterForm:
        """An unbound form showing only the values in use, so a dropped value is not shown as if applied."""
        return RankingFilterForm(
            initial={
                "status": self.status,
                "min_reviews": self.min_reviews,
                "flagged": self.flagged,
                "close_calls": self.close_calls,
            },
            auto_id="filter-%s",
        )


def spread_threshold() -> float:
    return float(getattr(settings, "JUDGING_SPREAD_THRESHOLD", DEFAULT_SPREAD_THRESHOLD))


def earlier_scores(challenge, stage, proposal_ids: list[int]) -> tuple[list, dict[int, list[float | None]]]:
    """The stages before ``stage`` and, per proposal asked about, its normalised score in each (None where it had
    none): what a later stage's results show beside its own. One query of the kept figures, none in a first stage."""
    earlier = [each for each in challenge.stage_list if each.sort_order < stage.sort_order] if stage.sort_order else []
    if not earlier or not proposal_ids:
        return earlier, {}
    position = {each.pk: index for index, each in enumerate(earlier)}
    kept = ProposalStanding.objects.filter(
        stage__in=earlier, proposal_id__in=proposal_ids, review_count__gt=0
    ).values_list("stage_id", "proposal_id", "review_count", "z_sum")
    scores: dict[int, list[float | None]] = {}
    for stage_id, proposal_id, count, z_sum in kept:
        scores.setdefault(proposal_id, [None] * len(earlier))[position[stage_id]] = round(z_sum / count, PLACES)
    return earlier, scores


def results_page(challenge, *, stage, filters: RankingFilters, page_number) -> dict:
    """One stage's ranking page: a page of the filtered order with criterion means, the earlier stages'
    normalised scores, the counts, and the calibration chart. A page number past the end shows the last page,
    and anything else not a number the first. The database orders the kept figures and returns only the page
    (``ranking_page``), so the cost does not grow with the number of proposals."""
    criteria = criteria_from_raw(stage.rubric.raw_data)
    window = RankingWindow(stage, filters)
    paginator = ProposalPaginator(window, PER_PAGE)
    page = paginator.get_page(page_number)
    shown = list(page.object_list)
    earlier_stages, earlier = earlier_scores(challenge, stage, [row.proposal_id for row in shown])
    rows = [
        {
            "row": row,
            "status": ProposalStatus(row.status).label,
            "means": [row.criterion_means.get(criterion.id) for criterion in criteria],
            "earlier": earlier.get(row.proposal_id, [None] * len(earlier_stages)),
        }
        for row in shown
    ]
    judges = calibration_summaries(challenge=challenge, stage=stage)
    confidence = stage_figures(stage)
    calibration = confidence.calibration if confidence else {}
    return {
        "confidence": confidence,
        "places": places_planned(stage, confidence) if confidence else stage.places,
        "judge_rows": [{"judge": judge, "calibration": calibration.get(judge.judge_id)} for judge in judges],
        "earlier_stages": earlier_stages,
        "criteria": criteria,
        "rows": rows,
        "page": page,
        "paginator": paginator,
        "elided_page_range": paginator.get_elided_page_range(page.number),
        "matching_count": paginator.count,
        "total_count": window.total,
        "judges": judges,
        "chart": calibration_svg(judges) if judges else "",
    }


def export_rows(challenge, *, stage, filters: RankingFilters) -> tuple[list[RankedProposal], list]:
    """Every row of one stage the filters keep, with every criterion mean, and the rubric: what an export writes."""
    ranking = with_chances(stage, challenge_ranking(challenge=challenge, stage=stage))
    return filters.apply(ranking), criteria_from_raw(stage.rubric.raw_data)
