"""Facet counts for a search without words, from the facet cells (``ArchiveFacetCell``) instead of the entries.

The cells with theme "" hold every entry once, by kind, sponsor, status, year and pilot status; the cells of a theme
hold the entries having it. So, with no theme chosen, the total and the single-valued facets are sums over the ""
cells, and the theme facet a sum over the theme cells; with one theme chosen, the total and the single-valued facets
are sums over that theme's cells. Each facet is counted under every *other* facet's filters (disjunctive faceting),
all in one statement over a few thousand rows, whatever the size of the archive. With two themes or more chosen
(an entry may have both, and must count once) the cells cannot say, and the caller counts the entries instead.
"""

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q, Sum

from ..models import ArchiveFacetCell

FACET_COLUMNS = {
    "kind": ("kind", "kind"),
    "sponsor": ("sponsor_slug", "sponsor_name"),
    "status": ("status", "status_label"),
    "year": ("year", "year"),
    "pilot": ("pilot_status", "pilot_status_label"),
}
"""Each single-valued facet's value column and label column in ``ArchiveEntry`` (and in the cells). An empty value
(a pilot status on a challenge, or on an award without a pilot) is no facet value and is never counted."""


def _branch(rows, facet: str, value: str | None, label: str | None) -> tuple[str, list] | None:
    """``(facet, value, label, count)`` rows: the cells' entries summed per value (or in all, without a value);
    None when a filter can match nothing (a year that is no number)."""
    grouped = rows.order_by().values(*dict.fromkeys(column for column in (value, label, "theme") if column))
    try:
        sql, params = grouped.annotate(n=Sum("entries")).query.sql_with_params()
    except EmptyResultSet:
        return None
    quote = connection.ops.quote_name
    columns = [f"CAST(b.{quote(column)} AS TEXT)" if column else "NULL" for column in (value, label)]
    return f"SELECT '{facet}', {', '.join(columns)}, b.n FROM ({sql}) b", list(params)


def cell_rows(filters: dict[str, tuple[str, ...]], conditions: dict) -> list[tuple] | None:
    """(facet, value, label, count) for every counted value of every facet, and ("", None, None, total); None when
    the cells cannot count this (two themes or more chosen)."""
    themes = [value for value in filters.get("theme", ()) if value.strip()]
    if len(themes) > 1:
        return None
    cells = ArchiveFacetCell.objects.filter(entries__gt=0)
    chosen = Q(theme=themes[0]) if themes else Q(theme="")

    def under(excluded: str) -> list:
        return [condition for name, condition in conditions.items() if name not in ("theme", excluded)]

    branches = [_branch(cells.filter(chosen, *under("")), "", None, None)]
    branches += [
        _branch(cells.filter(chosen, *under(name)), name, value, label)
        for name, (value, label) in FACET_COLUMNS.items()
    ]
    branches.append(_branch(cells.exclude(theme="").filter(*under("theme")), "theme", "theme", "theme_name"))
    branches = [branch for branch in branches if branch is not None]
    if not branches:
        return []
    sql = " UNION ALL ".join(f"SELECT * FROM ({part}) p{number}" for number, (part, _) in enumerate(branches))
    with connection.cursor() as cursor:
        cursor.execute(sql, [param for _, params in branches for param in params])
        return cursor.fetchall()
