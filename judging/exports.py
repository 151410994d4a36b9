"""The ranking as a spreadsheet (CSV or XLSX): the same rows and columns the results page shows.

Wagtail's ``SpreadsheetExportMixin`` writes both formats; this module gives it plain dicts, not a queryset.
Two things it does not do are added here. A CSV cell a spreadsheet would read as a formula (a proposal
titled ``=HYPERLINK(...)`` runs when a manager opens the file) is written with a leading apostrophe, the
OWASP advice for CSV injection; the mixin's XLSX writer already stores such text as text. And the CSV starts
with a byte order mark, without which Excel reads UTF-8 organisation names as mojibake.

Each row also carries the proposal's chance of the stage's places when the panel is resampled, the interval of
its normalised score and whether it is a close call; the XLSX has a second sheet with the panel's agreement
(``agreement_sheet``). Neither carries a judge's name or a judge's own figures.

Numbers are exported unrounded (6 decimal places, as aggregation.py gives them) so a spreadsheet can rework
them; the page rounds them for reading.
"""

from collections.abc import Iterable, Iterator

from django.http import HttpResponse
from django.utils import timezone
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from core.formatting import format_moment
from judging.selectors.ranking import RankedProposal
from submissions.models import ProposalStatus

from .agreement import THRESHOLDS, reading
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


CLOSE_CALL = "Close call: discuss"


def confidence_columns(places: int) -> list[tuple[str, str]]:
    return [
        ("chance", f"Chance of the top {places} (%)"),
        ("low", "Normalised score, interval low"),
        ("high", "Normalised score, interval high"),
        ("close_call", "Close call"),
    ]


def ranking_columns(criteria: list[Criterion], places: int) -> list[tuple[str, str]]:
    """(key, heading) per column: the ranking's own, its chances when the panel is resampled, then one mean per
    rubric criterion, in rubric order."""
    return (
        BASE_COLUMNS
        + confidence_columns(places)
        + [
            (f"criterion:{criterion.id}", escape_formula(f"{criterion.name} mean (0-{criterion.scale_max})"))
            for criterion in criteria
        ]
    )


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
        "chance": None if row.chance is None else round(row.chance * 100, 1),
        "low": row.low,
        "high": row.high,
        "close_call": CLOSE_CALL if row.close_call else "",
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

    def __init__(self, *, criteria: list[Criterion], filename: str, places: int, agreement: list[list] = ()):
        columns = ranking_columns(criteria, places)
        self.criteria = criteria
        self.agreement = agreement
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
        if self.agreement:
            sheet = workbook.add_worksheet("Panel agreement")
            for number, line in enumerate(self.agreement):
                sheet.write_row(number, 0, line)
        workbook.close()


def results_filename(challenge) -> str:
    """``<slug>-results-<YYYY-MM-DD>``, the date in UK time; the writer adds the extension."""
    return f"{challenge.slug}-results-{timezone.localdate():%Y-%m-%d}"


def agreement_sheet(confidence) -> list[list]:
    """The XLSX's second sheet: the panel-level figures (agreement overall and per criterion, close calls), never a
    judge's own. Empty until the figures are worked out."""
    if confidence is None or not confidence.row.computed:
        return []
    row = confidence.row
    lines = [
        ["Worked out at", format_moment(row.computed_at)],
        ["Judges", row.judges],
        ["Submitted reviews counted", row.reviews],
        ["Proposals ranked", row.ranked],
        ["Awards or places planned", row.places],
        ["Resamples of the panel", row.draws],
        ["Close calls", row.close_calls],
        [],
        ["Agreement (Krippendorff's alpha, interval)", "Alpha", "The judges agree"],
        ["Review totals", row.alpha, reading(row.alpha) or "not enough reviews"],
    ]
    lines += [
        [escape_formula(criterion.name), criterion.alpha, criterion.reading or "not enough scores"]
        for criterion in confidence.criteria
    ]
    return lines + [[], [THRESHOLDS]]


def ranking_spreadsheet(
    *,
    challenge,
    rows: list[RankedProposal],
    criteria: list[Criterion],
    export_format: str,
    places: int,
    confidence=None,
) -> HttpResponse:
    """A download of ``rows`` in ``export_format`` ("csv" or "xlsx"); the XLSX adds the panel's agreement."""
    spreadsheet = RankingSpreadsheet(
        criteria=criteria, filename=results_filename(challenge), places=places, agreement=agreement_sheet(confidence)
    )
    response = spreadsheet.as_spreadsheet([ranking_row(row, criteria) for row in rows], export_format)
    response["Cache-Control"] = "private, no-store"
    return response
