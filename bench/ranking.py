"""How long one challenge's ranking takes at scale: proposals x judges per proposal x rubric criteria.

    DJANGO_SETTINGS_MODULE=config.settings.dev .venv/bin/python bench/ranking.py \
        --proposals 10000 --judges 5 --criteria 6

``challenge_ranking`` is what an export computes (every proposal, with criterion means); ``results_page`` is what
the results page computes. Both read the figures ``judging.services.standing`` keeps (the loader rebuilds them).

Without DATABASE_URL it works in a temporary SQLite file, migrated here and deleted afterwards. With
DATABASE_URL it migrates that database and leaves the generated rows in it, so it refuses a database that
already holds proposals: create a throwaway database for it and drop it afterwards (see bench/README.md).
"""

import time

from common import build_judged, database, judged_arguments


def arguments():
    return judged_arguments(__doc__.splitlines()[0])


def main() -> None:
    options = arguments()
    with database(prefix="bench-ranking-", refuse_if=("submissions", "Proposal")) as vendor:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from judging.selectors.ranking import challenge_ranking, ranking_order, with_criterion_means
        from judging.selectors.results import RankingFilters, results_page

        judged, built = build_judged(options)
        challenge, reviews, scores = judged.challenge, judged.reviews, judged.scores

        timings, page_timings, results_timings = [], [], []
        for _ in range(options.repeat):
            with CaptureQueriesContext(connection) as results_queries:
                started = time.perf_counter()
                results_page(challenge, stage=challenge.first_stage, filters=RankingFilters(), page_number="1")
                results_timings.append(time.perf_counter() - started)
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                ranking = challenge_ranking(challenge=challenge)
                timings.append(time.perf_counter() - started)
            with CaptureQueriesContext(connection) as page_queries:
                started = time.perf_counter()
                with_criterion_means(challenge=challenge, rows=ranking_order(challenge=challenge)[:50])
                page_timings.append(time.perf_counter() - started)

    ranked = sum(1 for row in ranking if row.rank is not None)
    print(
        f"ranking on {vendor}: {len(ranking)} proposals ({ranked} ranked), {reviews} reviews, {scores} scores, "
        f"panel of {options.panel}: {len(queries)} queries, best of {options.repeat} {min(timings):.3f} s "
        f"(data built in {built:.0f} s)\n"
        f"the order of all with criterion means for 50 rows (ranking_order + with_criterion_means): "
        f"{len(page_queries)} queries, best of {options.repeat} {min(page_timings):.3f} s\n"
        f"as the results page computes it (results_page: the database orders the kept figures and returns one page "
        f"of 50, with the judges' calibration): {len(results_queries)} queries, best of {options.repeat} "
        f"{min(results_timings):.3f} s"
    )


if __name__ == "__main__":
    main()
