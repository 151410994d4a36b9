"""Results: the ranking with its filters and exports, and the judges' calibration chart (staff, Wagtail admin).

This module also gathers the URLs of the pages that follow from the ranking: one proposal's staff page
(results_proposal.py) and the decisions and announcement (decisions.py).
"""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.http import Http404, QueryDict
from django.urls import path
from django.views.generic import TemplateView, View
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from submissions.models import ProposalStatus
from submissions.workflow import RANKED

from ..aggregation import (
    DEFAULT_SPREAD_THRESHOLD,
    RankedProposal,
    challenge_ranking,
    ranking_order,
    with_criterion_means,
)
from ..chart import calibration_summaries, calibration_svg
from ..exports import FLAG, ranking_spreadsheet
from ..rubric import criteria_from_raw
from . import decisions, results_proposal
from .base import ChallengeManagerMixin, admin_url

EXPORT_FORMATS = SpreadsheetExportMixin.FORMATS
PER_PAGE = 50
"""Rows per page of the ranking: 10,000 rows would take seconds to render and nobody reads them on one page."""


class ProposalPaginator(WagtailPaginator):
    """Wagtail's admin paginator, counting "proposals" rather than "items" under the page links."""

    verbose_name = "proposal"
    verbose_name_plural = "proposals"


class RankingFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *((status, ProposalStatus(status).label) for status in RANKED)],
    )
    min_reviews = forms.IntegerField(label="Minimum number of reviews", required=False, min_value=0, max_value=999)
    flagged = forms.BooleanField(label="Only proposals flagged for a check", required=False)


@dataclass(frozen=True)
class RankingFilters:
    """The filters a results page or an export was asked for. A value the form refuses (an unknown status, a
    negative or non-numeric minimum) is dropped rather than reported: these are links people share and edit,
    and the page should still show the ranking."""

    status: str = ""
    min_reviews: int | None = None
    flagged: bool = False

    @classmethod
    def from_query(cls, query: QueryDict) -> "RankingFilters":
        form = RankingFilterForm(query)
        form.is_valid()
        data = form.cleaned_data
        return cls(
            status=data.get("status") or "", min_reviews=data.get("min_reviews"), flagged=bool(data.get("flagged"))
        )

    def keep(self, row: RankedProposal) -> bool:
        if self.status and row.status != self.status:
            return False
        if self.min_reviews is not None and row.review_count < self.min_reviews:
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
        return query

    @property
    def active(self) -> bool:
        return bool(self.as_query())

    def form(self) -> RankingFilterForm:
        """An unbound form showing only the values in use, so a dropped value is not shown as if applied."""
        return RankingFilterForm(
            initial={"status": self.status, "min_reviews": self.min_reviews, "flagged": self.flagged},
            auto_id="filter-%s",
        )


def spread_threshold() -> float:
    return float(getattr(settings, "JUDGING_SPREAD_THRESHOLD", DEFAULT_SPREAD_THRESHOLD))


class ResultsView(ChallengeManagerMixin, TemplateView):
    template_name = "judging/admin/results.html"
    page_title = "Results"
    tab = "results"

    def export_url(self, export_format: str, filters: RankingFilters) -> str:
        url = admin_url("results_export", self.challenge.pk, export_format)
        query = filters.as_query().urlencode()
        return f"{url}?{query}" if query else url

    def get_context_data(self, **kwargs):
        """The order is worked out over every proposal; criterion means, which read every score, only for the
        page shown. A page number past the end shows the last page, and anything else not a number the first."""
        filters = RankingFilters.from_query(self.request.GET)
        criteria = criteria_from_raw(self.challenge.rubric.raw_data)
        ranking = ranking_order(challenge=self.challenge)
        paginator = ProposalPaginator(filters.apply(ranking), PER_PAGE)
        page = paginator.get_page(self.request.GET.get("p"))
        rows = [
            {
                "row": row,
                "status": ProposalStatus(row.status).label,
                "means": [row.criterion_means.get(criterion.id) for criterion in criteria],
            }
            for row in with_criterion_means(challenge=self.challenge, rows=list(page.object_list))
        ]
        judges = calibration_summaries(challenge=self.challenge)
        return super().get_context_data(
            criteria=criteria,
            rows=rows,
            page=page,
            paginator=paginator,
            elided_page_range=paginator.get_elided_page_range(page.number),
            matching_count=paginator.count,
            total_count=len(ranking),
            filters=filters,
            filter_form=filters.form(),
            threshold=spread_threshold(),
            flag=FLAG,
            csv_url=self.export_url("csv", filters),
            xlsx_url=self.export_url("xlsx", filters),
            judges=judges,
            chart=calibration_svg(judges) if judges else "",
            **kwargs,
        )


class ResultsExportView(ChallengeManagerMixin, View):
    """The rows the results page shows for the same filters, as a CSV or XLSX download."""

    def get(self, request, challenge_id: int, export_format: str):
        if export_format not in EXPORT_FORMATS:
            raise Http404("Results can be downloaded as CSV or XLSX.")
        filters = RankingFilters.from_query(request.GET)
        return ranking_spreadsheet(
            challenge=self.challenge,
            rows=filters.apply(challenge_ranking(challenge=self.challenge)),
            criteria=criteria_from_raw(self.challenge.rubric.raw_data),
            export_format=export_format,
        )


urlpatterns: list = [
    path("<int:challenge_id>/results/", ResultsView.as_view(), name="results"),
    path("<int:challenge_id>/results.<str:export_format>/", ResultsExportView.as_view(), name="results_export"),
    *results_proposal.urlpatterns,
    *decisions.urlpatterns,
]
