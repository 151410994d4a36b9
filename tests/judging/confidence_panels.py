"""Judged panels for the decision-confidence tests: proposals each scored by every judge with given marks."""

from dataclasses import dataclass
from itertools import count as counter

import numpy as np

from challenges.models import Stage
from judging.services.confidence import confidence_refresh
from tests.factories.judging import assign, make_judge, score, seat
from tests.factories.submissions import make_proposal

PANELS = counter(1)


@dataclass
class Panel:
    challenge: object
    stage: object
    judges: list
    proposals: list


def judged_panel(scene, marks: list[list[tuple[int, int]]], *, places: int = 2, compute: bool = True) -> Panel:
    """``marks[p][j]``: (impact, delivery), 0 to 5, that judge j gives proposal p. Judges are named so the tests can
    look for their names; the challenge's stage plans ``places`` awards. Works out the figures unless told not to."""
    challenge = scene.challenge
    stage = challenge.first_stage
    Stage.objects.filter(pk=stage.pk).update(places=places)
    number = next(PANELS)
    judges = [
        make_judge(email=f"panel{number}-{n}@judges.example", first_name=f"Juniper{n}", last_name=f"Quill{number}")
        for n in range(len(marks[0]))
    ]
    seat(challenge, *judges)
    proposals = []
    for position, row in enumerate(marks):
        proposal = make_proposal(challenge, title=f"Proposal {number}.{position:02d}")
        for judge, (impact, delivery) in zip(judges, row, strict=True):
            score(assign(proposal, judge), impact, delivery)
        proposals.append(proposal)
    if compute:
        confidence_refresh(stage_id=stage.pk)
    stage.refresh_from_db()
    return Panel(challenge, stage, judges, proposals)


PERFECT = [[(impact, delivery)] * 3 for impact, delivery in [(5, 4), (4, 4), (3, 5), (3, 2), (2, 2), (1, 0)]]
"""Six proposals, three judges giving each the very same marks."""

HARSH_LENIENT = [[harsh, (harsh[0] + 2, harsh[1] + 2)] for harsh in [(2, 3), (2, 2), (1, 2), (1, 1), (0, 1), (0, 0)]]
"""Two judges who agree on the order, one 40 points harsher than the other on every proposal."""


def random_marks(proposals: int = 30, judges: int = 3, seed: int = 11) -> list[list[tuple[int, int]]]:
    rng = np.random.default_rng(seed)
    return [[tuple(int(v) for v in rng.integers(0, 6, size=2)) for _ in range(judges)] for _ in range(proposals)]


CLOSE = [
    [(5, 5), (5, 4), (5, 5)],
    [(5, 2), (1, 1), (4, 3)],
    [(2, 2), (4, 4), (3, 1)],
    [(0, 1), (1, 0), (1, 1)],
]
"""A clear first; the second and third places split the judges (close calls for two places); a clear last."""
