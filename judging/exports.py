"""The ranking as a spreadsheet (CSV or XLSX): the same rows and columns the results page shows.

Wagtail's ``SpreadsheetExportMixin`` writes both formats; this module gives it plain dicts, not a queryset.
Two things it does not do are added here. A CSV cell a spreadsheet would read as a formula (a proposal
titled ``=HYPERLINK(...)`` runs when a manager opens the file) is written with a leading apostrophe, the
OWASP advice for CSV injection; the mixin's XLSX writer already stores such text as text. And the CSV starts
with a byte order mark, without which Excel reads UTF-8 organisation names as mojibake.

Numbers are exported unrounded (6 decimal places, as aggregation.py gives them) so a spreadsheet can rework
them; the page rounds them for reading.
"""

from collections.abc import Iterable, Iterator

from django.http import HttpResponse
from django.utils import timezone
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from judging.selectors.ranking import RankedProposal
from submissions.models import ProposalStatus

from .rubric import Criterion

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FLAG = "Check"
"""What the results page and the export write against a proposal whose judges disagree by more than the threshold."""

BASE_COLUMNS = [
    ("rank", "Rank"),
    ("reference", "Reference"),
    ("title", "Title"),
    ("organisation", "Organisation"),
    ("status", "Status"),
    ("reviews", "Reviews"),
    ("raw_mean", "Raw mean (0-100)"),
    ("normalised", "Normalised score"),
    ("spread", "Spread (points)"),
    ("check", "Check"),
]


def escape_formula(value: str) -> str:
    """Text a spreadsheet would evaluate, made inert by a leading apostrophe; anything else unchanged."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def ranking_columns(criteria: list[Criterion]) -> list[tuple[str, str]]:
    """(key, heading) per column: the ranking's own, then one mean per rubric criterion, in rubric order."""
    return BASE_COLUMNS + [
        (f"criterion:{criterion.id}", escape_formula(f"{criterion.name} mean (0-{criterion.scale_max})"))
        for criterion in criteria
    ]


def ranking_row(row: RankedProposal, criteria: list[Criterion]) -> dict:
    values = {
        "rank": row.rank,
        "reference": row.reference,
        "title": row.title,
        "organisation": row.organisation_name,
        "status": ProposalStatus(row.status).label,
        "reviews": row.review_count,
        "raw_mean": row.raw_mean,
        "normalised": row.normalised,
        "spread": row.spread,
        "check": FLAG if row.flagged else "",
    }
    for criterion in criteria:
        values[f"criterion:{criterion.id}"] = row.criterion_means.get(criterion.id)
    return values


class RankingSpreadsheet(SpreadsheetExportMixin):
    """Wagtail's spreadsheet writer, fed the ranking's rows instead of a view's queryset."""

    custom_value_preprocess = {
        **SpreadsheetExportMixin.custom_value_preprocess,
        str: {SpreadsheetExportMixin.FORMAT_CSV: escape_formula},
    }

    def __init__(self, *, criteria: list[Criterion], filename: str):
        columns = ranking_columns(criteria)
        self.criteria = criteria
        self.list_export = [key for key, _ in columns]
        self.export_headings = dict(columns)
        self.export_filename = filename

    def to_row_dict(self, item: dict) -> dict:
        return {key: item[key] for key in self.list_export}

    def stream_csv(self, queryset: Iterable) -> Iterator[bytes]:
        yield "\ufeff".encode()
        yield from super().stream_csv(queryset)

    def write_xlsx(self, queryset: Iterable, output) -> None:
        """The workbook written with XlsxWriter rather than the mixin's openpyxl: 10,000 rows of 16 columns in
        about half the time. Text is always stored as text (never a formula, number or link), as the mixin does;
        numbers stay numbers, and a blank cell stays blank."""
        import xlsxwriter

        workbook = xlsxwriter.Workbook(
            output,
            {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
        )
        worksheet = workbook.add_worksheet("Sheet1")
        worksheet.write_row(0, 0, [self.get_heading(queryset, field) for field in self.list_export])
        for number, item in enumerate(queryset, start=1):
            row = self.to_row_dict(item)
            worksheet.write_row(number, 0, [row[field] for field in self.list_export])
        workbook.close()


def results_filename(challenge) -> str:
    """``<slug>-results-<YYYY-MM-DD>``, the date in UK time; the writer adds the extension."""
    return f"{challenge.slug}-results-{timezone.localdate():%Y-%m-%d}"


def ranking_spreadsheet(
    *, challenge, rows: list[RankedProposal], criteria: list[Criterion], export_format: str
) -> HttpResponse:
    """A download of ``rows`` in ``export_format`` ("csv" or "xlsx")."""
    spreadsheet = RankingSpreadsheet(criteria=criteria, filename=results_filename(challenge))
    response = spreadsheet.as_spreadsheet([ranking_row(row, criteria) for row in rows], export_format)
    response["Cache-Control"] = "private, no-store"
    return response
