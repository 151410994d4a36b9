"""What a stage's ranking counts, read as plain rows for the figures worked out from them in Python: the
standing (``services.standing``) and the decision confidence (``services.confidence``). What counts is stated in
``selectors.ranking``: submitted reviews, with a total, of the proposals the stage ranks."""

from collections.abc import Iterable

from django.db import connection

from .ranking import _counted_scores as counted_score_rows
from .ranking import _review_totals


def counted_reviews(stage, *, proposal_ids: Iterable[int] | None, judge_ids: Iterable[int] | None) -> list[tuple]:
    """(proposal, judge, total) of every counted review of the proposals given or reviewed by the judges given
    (every counted review of the stage when both are None)."""
    reviews, params = _review_totals(stage)
    sql = f"WITH reviews AS ({reviews}) SELECT proposal, judge, counted FROM reviews WHERE counted IS NOT NULL"
    params = list(params)
    if proposal_ids is not None or judge_ids is not None:
        clauses = []
        proposal_ids, judge_ids = sorted(proposal_ids or ()), sorted(judge_ids or ())
        if judge_ids:
            marks = ", ".join(["%s"] * len(judge_ids))
            clauses.append(f"proposal IN (SELECT proposal FROM reviews WHERE judge IN ({marks}))")
            params.extend(judge_ids)
        if proposal_ids:
            clauses.append(f"proposal IN ({', '.join(['%s'] * len(proposal_ids))})")
            params.extend(proposal_ids)
        if not clauses:
            return []
        sql += " AND (" + " OR ".join(clauses) + ")"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def counted_scores(stage) -> list[tuple]:
    """(proposal, judge, criterion id, value, scale maximum) of every counted criterion score of the stage."""
    sql, params = (
        counted_score_rows(stage)
        .values_list(
            "review__assignment__proposal_id", "review__assignment__judge_id", "criterion_id", "value", "scale_max"
        )
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
