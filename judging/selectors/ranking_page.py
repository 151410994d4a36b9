"""One page of a stage's ranking, ordered by the database from the kept figures: what the results page shows.

``ranking_order`` sorts every line in Python, which an export needs anyway; a page of 50 needs only its own
lines. The kept figures (``ProposalStanding``) hold each line's rounded raw mean, normalised score and spread,
so the database can apply the very order ``ranking_order`` does (``TIE_BREAKS`` included) with ROW_NUMBER()
over the stage's lines: the position is the rank, whatever the filters keep. References compare byte by byte
(``COLLATE "C"`` on PostgreSQL, SQLite's default), as Python compares strings. Two queries, whatever the size:
the counts, the page's lines (with their criterion means) and the lines just before and after it, for the
tie-break; a filtered page reads the neighbours of its lines in the whole order with a third.
"""

from collections.abc import Sequence

from django.db import connection

from accounts.models import Organisation
from submissions.models import Proposal

from ..models import ProposalConfidence, ProposalStanding
from .ranking import Candidate, RankedProposal, _deciding_step, _threshold, _tie_keys

COUNT, POSITION = 4, 9
"""Where a line's review count and position are in the rows ``_lines_sql`` gives."""


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _order_sql() -> str:
    collate = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
    submitted = "(CASE WHEN s.review_count > 0 THEN p.submitted_at END)"
    return (
        f"(s.review_count = 0), s.normalised DESC, s.raw_mean DESC, s.review_count DESC, {submitted} IS NULL, "
        f"{submitted}, COALESCE(p.reference, ''){collate}, s.proposal_id"
    )


def _lines_sql(close_calls: bool = False) -> str:
    """Every line of the stage with what the order and the filters read, and its position: narrow rows, so the
    sort behind ROW_NUMBER() moves little. Whether it is a close call is joined only for the filter that needs it;
    the page's own lines read their chances after the order is worked out."""
    close_call, join = ("c.close_call", _confidence_join("s")) if close_calls else ("NULL", "")
    return f"""
        SELECT s.proposal_id, p.reference, p.status, p.submitted_at, s.review_count, s.raw_mean, s.normalised,
               s.spread, {close_call} AS close_call, ROW_NUMBER() OVER (ORDER BY {_order_sql()}) AS position
        FROM {_table(ProposalStanding)} s JOIN {_table(Proposal)} p ON p.id = s.proposal_id
        {join}
        WHERE s.stage_id = %s
    """


def _confidence_join(lines: str) -> str:
    """The stored chances (``services.confidence``) of the lines ``lines``, where worked out."""
    return (
        f"LEFT JOIN {_table(ProposalConfidence)} c ON c.stage_id = {lines}.stage_id "
        f"AND c.proposal_id = {lines}.proposal_id"
    )


def _filter_sql(filters, threshold: float) -> tuple[str, list]:
    clauses, params = ["1 = 1"], []
    if filters.status:
        clauses.append("status = %s")
        params.append(filters.status)
    if filters.min_reviews is not None:
        clauses.append("review_count >= %s")
        params.append(filters.min_reviews)
    if filters.flagged:
        clauses.append("review_count > 0 AND spread > %s")
        params.append(threshold)
    if filters.close_calls:
        clauses.append("close_call = %s")
        params.append(True)
    return " AND ".join(clauses), params


class RankingWindow(Sequence):
    """The filtered ranking of a stage as a lazy sequence a paginator can count and slice; each slice is one
    query (two with the neighbours for the tie-break)."""

    def __init__(self, stage, filters, threshold: float | None = None):
        self.stage, self.filters, self.threshold = stage, filters, _threshold(threshold)
        self._counts: tuple[int, int] | None = None

    def _fetch_counts(self) -> tuple[int, int]:
        if self._counts is None:
            where, params = _filter_sql(self.filters, self.threshold)
            close_call, join = ("c.close_call", _confidence_join("s")) if self.filters.close_calls else ("NULL", "")
            sql = f"""
                SELECT COUNT(*), COALESCE(SUM(CASE WHEN {where} THEN 1 ELSE 0 END), 0)
                FROM (SELECT p.status, s.review_count, s.spread, {close_call} AS close_call
                      FROM {_table(ProposalStanding)} s JOIN {_table(Proposal)} p ON p.id = s.proposal_id
                      {join}
                      WHERE s.stage_id = %s) lines
            """
            with connection.cursor() as cursor:
                cursor.execute(sql, [*params, self.stage.pk])
                total, matching = cursor.fetchone()
            self._counts = (int(total), int(matching))
        return self._counts

    @property
    def total(self) -> int:
        """Every line of the stage's ranking, whatever the filters."""
        return self._fetch_counts()[0]

    def count(self) -> int:
        return self._fetch_counts()[1]

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("A ranking window is read a page (a slice) at a time.")
        start, stop, _ = index.indices(self.count())
        if stop <= start:
            return []
        return self._page(start, stop - start)

    def _page(self, offset: int, limit: int) -> list[RankedProposal]:
        where, params = _filter_sql(self.filters, self.threshold)
        # Unfiltered, the lines either side of the page are its neighbours in the order: read them with it.
        before = 1 if offset and not self.filters.active else 0
        after = 0 if self.filters.active else 1
        sql = f"""
            SELECT page.*, p.title, o.name, s.criterion_means, c.chance, c.low, c.high, c.close_call
            FROM (SELECT * FROM ({_lines_sql(self.filters.close_calls)}) lines WHERE {where}
                  ORDER BY position LIMIT %s OFFSET %s) page
            JOIN {_table(Proposal)} p ON p.id = page.proposal_id
            JOIN {_table(Organisation)} o ON o.id = p.organisation_id
            JOIN {_table(ProposalStanding)} s ON s.stage_id = %s AND s.proposal_id = page.proposal_id
            {_confidence_join("s")}
            ORDER BY page.position
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.stage.pk, *params, limit + before + after, offset - before, self.stage.pk])
            rows = cursor.fetchall()
        keys = {row[POSITION]: _keys(row) for row in rows}
        rows = rows[before : before + limit]
        near = {row[POSITION] + step for row in rows if row[COUNT] for step in (-1, 1)}
        wanted = sorted(position for position in near - set(keys) if 1 <= position <= self.total)
        if wanted:
            marks = ", ".join(["%s"] * len(wanted))
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT lines.* FROM ({_lines_sql()}) lines WHERE position IN ({marks})", [self.stage.pk, *wanted]
                )
                keys.update((row[POSITION], _keys(row)) for row in cursor.fetchall())
        return [self._line(row, keys) for row in rows]

    def _line(self, row: tuple, keys: dict) -> RankedProposal:
        pk, reference, status, _, count, raw_mean, normalised, spread, _, position = row[:10]
        title, organisation, means, chance, low, high, close_call = row[10:]
        means = _json(means)
        if not count:
            return RankedProposal(
                pk, reference or "", title, organisation, status, 0, None, None, None, False, None, means
            )
        return RankedProposal(
            pk,
            reference or "",
            title,
            organisation,
            status,
            count,
            raw_mean,
            normalised,
            spread,
            spread > self.threshold,
            position,
            means,
            _tie_break(position, keys),
            chance,
            low,
            high,
            bool(close_call),
        )


def _json(value) -> dict:
    if isinstance(value, str):
        return ProposalStanding._meta.get_field("criterion_means").from_db_value(value, None, connection) or {}
    return value or {}


def _keys(row: tuple) -> tuple | None:
    """(normalised, tie keys) of a ranked line; None for an unranked one."""
    _, reference, _, submitted_at, count, raw_mean, normalised = row[:7]
    if not count:
        return None
    return normalised, _tie_keys(Candidate(raw_mean, count, submitted_at, reference or ""))


def _tie_break(position: int, keys: dict) -> str:
    """As ``ranking._tie_break``: the step that placed a line tied with the next one above it, else the step that
    placed it below the line before it; "" when not tied."""
    score, own = keys[position]
    for neighbour in (position + 1, position - 1):
        other = keys.get(neighbour)
        if other is not None and other[0] == score:
            return _deciding_step(own, other[1])
    return ""
