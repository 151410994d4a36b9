"""Which stage of a challenge the managers' judging pages are about, and which proposals each stage ranks."""

from django.db.models import Q

from submissions.models import Progression, Proposal
from submissions.workflow import RANKED


def judging_stage(challenge, stage_id=None, stages=None):
    """The stage asked for (``?stage=`` on a judging page), or else the one being judged now: the latest stage
    any proposal has reached. None only for a stage id that is not this challenge's. ``stages``: the challenge's,
    when the caller has them already."""
    stages = challenge.stage_list if stages is None else stages
    if stage_id not in (None, ""):
        return next((stage for stage in stages if str(stage.pk) == str(stage_id)), None)
    if len(stages) < 2:
        return stages[0] if stages else None
    reached = set(Proposal.objects.filter(challenge=challenge).values_list("stage_id", flat=True).distinct())
    return next((stage for stage in reversed(stages) if stage.pk in reached), stages[0])


def ranked_in(stage, prefix: str = "") -> Q:
    """The proposals a stage's ranking counts: those in it that reached assessment, and those that left it
    (taken forward, or not), whose reviews in it stay on the record."""
    left = Progression.objects.filter(stage=stage).values("proposal_id")
    return Q(**{f"{prefix}stage": stage, f"{prefix}status__in": RANKED}) | Q(**{f"{prefix}pk__in": left})
