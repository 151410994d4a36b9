"""How long one stage's decision confidence takes at scale: proposals x judges per proposal x rubric criteria.

    DJANGO_SETTINGS_MODULE=config.settings.dev .venv/bin/python bench/confidence.py \
        --proposals 10000 --judges 5 --criteria 6

Times ``judging.services.confidence.confidence_refresh`` as the Celery task runs it: read the counted reviews
and scores, work out agreement, stability (``stability.DRAWS`` resamples) and calibration, store the figures.
Issue 16's target: 10,000 proposals x 5 judges x 6 criteria, 1,000 resamples, in under 30 s.

The split comes from the same runs: the functions the service calls are wrapped, in the service's module only,
with a timer each (``Split``), so every part is what the whole refresh spent in it.

Without DATABASE_URL it works in a temporary SQLite file, migrated here and deleted afterwards. With
DATABASE_URL it migrates that database and leaves the generated rows in it, so it refuses a database that
already holds proposals: create a throwaway database for it and drop it afterwards (see bench/README.md).
"""

import os
import statistics
import time
from collections import defaultdict
from contextlib import contextmanager
from importlib.metadata import version

from common import build_judged, database, judged_arguments, load_average, table

TARGET_SECONDS = 30.0
PARTS = {
    "read": ("ranking_order", "counted_reviews", "counted_scores"),
    "numpy": ("interval_alpha", "_z_scores", "resample", "calibrate"),
    "store": ("_store",),
}
"""The service's own names, by part of the work; what none of them spends (building the arrays and rows in
Python, two small queries) is shown as the rest."""


def arguments():
    return judged_arguments(__doc__.splitlines()[0])


class Split:
    """Seconds spent in each of the service module's functions named in ``PARTS``, per run."""

    def __init__(self, module):
        self.module = module
        self.seconds: dict[str, float] = defaultdict(float)

    def _timed(self, name: str, function):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - started

        return timed

    @contextmanager
    def wrapped(self):
        names = [name for names in PARTS.values() for name in names]
        originals = {name: getattr(self.module, name) for name in names}
        for name, function in originals.items():
            setattr(self.module, name, self._timed(name, function))
        try:
            yield self
        finally:
            for name, function in originals.items():
                setattr(self.module, name, function)

    def parts(self, total: float) -> dict[str, float]:
        parts = {part: sum(self.seconds[name] for name in names) for part, names in PARTS.items()}
        return parts | {"rest": total - sum(parts.values())}


def seconds(values: list[float]) -> tuple[str, str]:
    return f"{min(values):.3f}", f"{statistics.median(values):.3f}"


def main() -> None:
    options = arguments()
    loads = [load_average()]
    with database(prefix="bench-confidence-", refuse_if=("submissions", "Proposal")) as vendor:
        import numpy as np
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from judging.models import ProposalConfidence, StageConfidence
        from judging.services import confidence

        judged, built = build_judged(options)
        stage = judged.challenge.first_stage

        totals, splits, runs = [], [], []
        for _ in range(options.repeat):
            split = Split(confidence)
            with split.wrapped(), CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                stored = confidence.confidence_refresh(stage_id=stage.pk)
                totals.append(time.perf_counter() - started)
            if not stored:
                raise SystemExit("confidence_refresh stored nothing: the run is not what the task does.")
            splits.append(split.parts(totals[-1]))
            runs.append(split.seconds)
        figures = StageConfidence.objects.get(stage_id=stage.pk)
        lines = ProposalConfidence.objects.filter(stage_id=stage.pk).count()
    loads.append(load_average())

    best, median = seconds(totals)
    met = min(totals) < TARGET_SECONDS
    rows = [
        (
            "confidence_refresh (read + compute + store)",
            best,
            median,
            "100%",
            f"< {TARGET_SECONDS:g} s",
            "yes" if met else "**no**",
        )
    ]
    labels = {
        "read": "read: ranking_order, counted_reviews, counted_scores",
        "numpy": "numpy: interval_alpha, _z_scores, resample, calibrate",
        "store": "store: _store (delete, bulk_create, StageConfidence)",
        "rest": "rest: arrays and rows in Python, two small queries",
    }
    for part, label in labels.items():
        values = [split[part] for split in splits]
        share = statistics.median(values) / statistics.median(totals)
        rows.append((label, *seconds(values), f"{share:.0%}", "—", "—"))
    for name in ("resample", "interval_alpha", "calibrate", "ranking_order", "counted_reviews", "counted_scores"):
        values = [run[name] for run in runs]
        share = statistics.median(values) / statistics.median(totals)
        rows.append((f"  of which {name}", *seconds(values), f"{share:.0%}", "—", "—"))

    criteria = ", ".join(
        "—" if criterion["alpha"] is None else f"{criterion['alpha']:.3f}" for criterion in figures.criteria
    )
    alpha = "—" if figures.alpha is None else f"{figures.alpha:.3f}"
    print(
        f"decision confidence on {vendor}: {judged.proposals:,} proposals, {judged.reviews:,} reviews, "
        f"{judged.scores:,} scores, {options.judges} judges each of a panel of {options.panel}, "
        f"{options.criteria} criteria (data built, its figures worked out once, in {built:.0f} s)\n"
        f"{figures.draws:,} resamples (seed {figures.seed}), top {figures.places}; stored: {figures.reviews:,} "
        f"reviews counted, {figures.ranked:,} ranked, {lines:,} proposal rows, {figures.judges} judges calibrated\n"
        f"alpha {alpha} (per criterion {criteria}); {figures.close_calls} close calls; "
        f"{len(queries)} queries per refresh\n"
        f"machine: {os.cpu_count()} cores, numpy {np.__version__}, Django {version('django')}; "
        f"load average (1 / 5 / 15 min) at start {loads[0]}, at end {loads[1]}\n"
        f"best and median of {options.repeat} runs, each row on its own (the best parts need not add up to "
        "the best whole):\n"
    )
    print(table(rows, ("part", "best s", "median s", "share (medians)", "target", "met?"), range(1, 4)))


if __name__ == "__main__":
    main()
