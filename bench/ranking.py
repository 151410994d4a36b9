"""How long one challenge's ranking takes at scale: proposals x judges per proposal x rubric criteria.

    DJANGO_SETTINGS_MODULE=config.settings.dev .venv/bin/python bench/ranking.py \
        --proposals 10000 --judges 5 --criteria 6

Without DATABASE_URL it works in a temporary SQLite file, migrated here and deleted afterwards. With
DATABASE_URL it migrates that database and leaves the generated rows in it, so it refuses a database that
already holds proposals: create a throwaway database for it and drop it afterwards (see bench/README.md).
"""

import argparse
import random
import time
from datetime import timedelta

from common import BATCH, database, settle


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=10000)
    parser.add_argument("--judges", type=int, default=5, help="Judges reviewing each proposal.")
    parser.add_argument("--panel", type=int, default=50, help="Judges on the panel, sharing the reviews out.")
    parser.add_argument("--criteria", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=3, help="Time this many runs and report the best.")
    parser.add_argument("--seed", type=int, default=2027)
    options = parser.parse_args()
    if min(options.proposals, options.judges, options.criteria, options.repeat) < 1:
        parser.error("every count must be at least 1")
    if options.panel < options.judges:
        parser.error("--panel must be at least --judges")
    return options


def make_challenge(criteria: int):
    from django.utils import timezone

    from challenges.models import ChallengePage, Sponsor, Theme
    from home.models import HomePage

    sponsor = Sponsor.objects.create(name="Benchmark Combined Authority", slug="benchmark-ca")
    theme, _ = Theme.objects.get_or_create(slug="benchmark", defaults={"name": "Benchmark"})
    rubric = [
        {
            "type": "criterion",
            "id": f"criterion-{n}",
            "value": {"name": f"Criterion {n}", "guidance": "", "weight": str(1 + n % 3), "scale_max": 5},
        }
        for n in range(criteria)
    ]
    now = timezone.now()
    challenge = ChallengePage(
        title="Benchmark challenge",
        slug="benchmark-challenge",
        summary="Generated for bench/ranking.py.",
        sponsor=sponsor,
        problem_statement=[],
        what_we_seek="<p>Speed.</p>",
        eligibility="<p>Anyone.</p>",
        funding_available=0,
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=30),
        rubric=rubric,
    )
    HomePage.objects.get().add_child(instance=challenge)
    challenge.themes.set([theme])
    return challenge


def make_data(options) -> tuple:
    """Bulk-insert the proposals, the panel's reviews and their scores; return (challenge, reviews, scores)."""
    from accounts.models import Organisation, User
    from judging.models import Assignment, Review, ReviewStatus, Score
    from judging.rubric import criteria_from_raw
    from submissions.models import Proposal, ProposalStatus

    rng = random.Random(options.seed)
    challenge = make_challenge(options.criteria)
    criteria = criteria_from_raw(challenge.rubric.raw_data)
    supplier = User.objects.create(email="supplier@bench.example")
    panel = User.objects.bulk_create(User(email=f"judge{n}@bench.example") for n in range(options.panel))
    leniency = {judge.pk: rng.uniform(-1.5, 1.5) for judge in panel}
    organisations = Organisation.objects.bulk_create(
        (
            Organisation(
                name=f"Supplier {n}", slug=f"supplier-{n}", size="small", sector="technology", region="west_midlands"
            )
            for n in range(options.proposals)
        ),
        batch_size=BATCH,
    )
    proposals = Proposal.objects.bulk_create(
        (
            Proposal(
                challenge=challenge,
                organisation=organisation,
                reference=f"UC-2027-{n:05}",
                title=f"Proposal {n}",
                status=ProposalStatus.IN_ASSESSMENT,
                created_by=supplier,
            )
            for n, organisation in enumerate(organisations)
        ),
        batch_size=BATCH,
    )
    quality = {proposal.pk: rng.uniform(0.5, 4.5) for proposal in proposals}
    assignments = Assignment.objects.bulk_create(
        (
            Assignment(proposal=proposal, judge=panel[(n * options.judges + k) % options.panel])
            for n, proposal in enumerate(proposals)
            for k in range(options.judges)
        ),
        batch_size=BATCH,
    )
    reviews = Review.objects.bulk_create(
        (Review(assignment=assignment, status=ReviewStatus.SUBMITTED) for assignment in assignments),
        batch_size=BATCH,
    )
    scores = 0
    batch = []
    for assignment, review in zip(assignments, reviews, strict=True):
        centre = quality[assignment.proposal_id] + leniency[assignment.judge_id]
        for criterion in criteria:
            value = min(criterion.scale_max, max(0, round(rng.gauss(centre, 0.8))))
            batch.append(
                Score(review=review, criterion_id=criterion.id, weight=criterion.weight, scale_max=5, value=value)
            )
        if len(batch) >= BATCH:
            scores += len(Score.objects.bulk_create(batch))
            batch = []
    scores += len(Score.objects.bulk_create(batch))
    return challenge, len(reviews), scores


def main() -> None:
    options = arguments()
    with database(prefix="bench-ranking-", refuse_if=("submissions", "Proposal")) as vendor:
        from django.db import connection, transaction
        from django.test.utils import CaptureQueriesContext

        from judging.aggregation import challenge_ranking

        started = time.perf_counter()
        with transaction.atomic():
            challenge, reviews, scores = make_data(options)
        settle(connection)
        built = time.perf_counter() - started

        timings = []
        for _ in range(options.repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                ranking = challenge_ranking(challenge=challenge)
                timings.append(time.perf_counter() - started)

    ranked = sum(1 for row in ranking if row.rank is not None)
    print(
        f"ranking on {vendor}: {len(ranking)} proposals ({ranked} ranked), {reviews} reviews, {scores} scores, "
        f"panel of {options.panel}: {len(queries)} queries, best of {options.repeat} {min(timings):.3f} s "
        f"(data built in {built:.0f} s)"
    )


if __name__ == "__main__":
    main()
