"""Results: the ranking with its filters and exports, and the judges' calibration chart (staff, Wagtail admin)."""

from django.http import Http404
from django.views.generic import TemplateView, View
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from core.formatting import format_percent

from ..agreement import THRESHOLDS
from ..calibration import RULES as CALIBRATION_RULES
from ..exports import FLAG, ranking_spreadsheet
from ..selectors.confidence import CONFIDENCE_RULES, places_planned, stage_figures
from ..selectors.ranking import TIE_RULE
from ..selectors.results import RankingFilters, export_rows, results_page, spread_threshold
from ..services.confidence import confidence_request
from ..stability import CLOSE_HIGH
from .base import ChallengeManagerMixin, admin_url

EXPORT_FORMATS = SpreadsheetExportMixin.FORMATS


class ResultsView(ChallengeManagerMixin, TemplateView):
    template_name = "judging/admin/results.html"
    page_title = "Results"
    tab = "results"

    def export_url(self, export_format: str, filters: RankingFilters) -> str:
        url = admin_url("results_export", self.challenge.pk, export_format)
        query = filters.as_query()
        if self.stage_query:
            query["stage"] = str(self.stage.pk)
        query = query.urlencode()
        return f"{url}?{query}" if query else url

    def close_calls_url(self) -> str:
        query = RankingFilters(close_calls=True).as_query()
        if self.stage_query:
            query["stage"] = str(self.stage.pk)
        return f"{admin_url('results', self.challenge.pk)}?{query.urlencode()}#ranking-heading"

    def get_context_data(self, **kwargs):
        filters = RankingFilters.from_query(self.request.GET)
        page = results_page(self.challenge, stage=self.stage, filters=filters, page_number=self.request.GET.get("p"))
        if page["confidence"] is None and page["judges"]:
            # Reviews counted before the figures existed (a database from before them): ask for them once.
            confidence_request(stage_id=self.stage.pk)
        return super().get_context_data(
            **page,
            confidence_pending=page["confidence"] is None and bool(page["judges"]),
            filters=filters,
            filter_form=filters.form(),
            threshold=spread_threshold(),
            flag=FLAG,
            tie_rule=TIE_RULE,
            agreement_thresholds=THRESHOLDS,
            calibration_rules=CALIBRATION_RULES,
            confidence_rules=CONFIDENCE_RULES,
            close_high=format_percent(CLOSE_HIGH),
            close_calls_url=self.close_calls_url(),
            csv_url=self.export_url("csv", filters),
            xlsx_url=self.export_url("xlsx", filters),
            **kwargs,
        )


class ResultsExportView(ChallengeManagerMixin, View):
    """The rows the results page shows for the same filters, as a CSV or XLSX download."""

    def get(self, request, challenge_id: int, export_format: str):
        if export_format not in EXPORT_FORMATS:
            raise Http404("Results can be downloaded as CSV or XLSX.")
        rows, criteria = export_rows(self.challenge, stage=self.stage, filters=RankingFilters.from_query(request.GET))
        confidence = stage_figures(self.stage)
        return ranking_spreadsheet(
            challenge=self.challenge,
            rows=rows,
            criteria=criteria,
            export_format=export_format,
            confidence=confidence,
            places=places_planned(self.stage, confidence),
        )
