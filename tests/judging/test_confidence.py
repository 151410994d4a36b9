"""Decision confidence worked out for a stage from its judges' submitted reviews: the panel's agreement, each
proposal's chance of the places planned, the judges' calibration; in a debounced background task, stored."""

from datetime import timedelta

import pytest
from django.test import override_settings

from challenges.models import Stage
from judging.models import ProposalConfidence, StageConfidence
from judging.services import confidence as service
from judging.services.confidence import confidence_refresh
from judging.tasks import confidence_refresh_task
from tests.factories.judging import score

from .confidence_panels import CLOSE, HARSH_LENIENT, PERFECT, judged_panel, random_marks


def chances(panel) -> list[float]:
    lines = dict(ProposalConfidence.objects.filter(stage=panel.stage).values_list("proposal_id", "chance"))
    return [lines[proposal.pk] for proposal in panel.proposals]


def stored(panel) -> StageConfidence:
    return StageConfidence.objects.get(stage=panel.stage)


def test_a_panel_that_agrees_perfectly_has_alpha_1_and_certain_places(scene):
    panel = judged_panel(scene, PERFECT, places=3)
    figures = stored(panel)
    assert figures.alpha == pytest.approx(1.0)
    assert [criterion["alpha"] for criterion in figures.criteria] == pytest.approx([1.0, 1.0])
    assert chances(panel) == [1.0, 1.0, 1.0, 0.0, 0.0, 0.0]
    assert figures.close_calls == 0
    assert (figures.judges, figures.reviews, figures.ranked, figures.places) == (3, 18, 6, 3)
    assert (figures.draws, figures.seed) == (1000, 20270)
    assert figures.computed_at is not None and not figures.out_of_date


def test_a_panel_of_random_scores_agrees_no_better_than_chance_and_has_many_close_calls(scene):
    panel = judged_panel(scene, random_marks(), places=5)
    figures = stored(panel)
    assert abs(figures.alpha) < 0.25
    assert figures.close_calls >= 5
    assert sum(chances(panel)) == pytest.approx(5.0)
    assert ProposalConfidence.objects.filter(stage=panel.stage, close_call=True).count() == figures.close_calls


def test_a_harsh_and_a_lenient_judge_who_agree_on_order_keep_the_ranking_stable(scene):
    panel = judged_panel(scene, HARSH_LENIENT, places=2)
    figures = stored(panel)
    # On the scores themselves they disagree by 40 points on every proposal: alpha reads poorly...
    assert figures.alpha < 0.667
    # ...yet normalised, each proposal's two reviews are the same z: every place is certain.
    assert chances(panel) == [1.0, 1.0, 0.0, 0.0, 0.0, 0.0]
    assert figures.close_calls == 0
    assert [judge["reasons"] for judge in figures.calibration] == [[], []]
    assert [judge["correlation"] for judge in figures.calibration] == pytest.approx([1.0, 1.0])


def test_a_split_panel_gives_close_calls_with_an_interval_for_each_score(scene):
    panel = judged_panel(scene, CLOSE, places=2)
    lines = {line.proposal_id: line for line in ProposalConfidence.objects.filter(stage=panel.stage)}
    first, second, third, last = (lines[proposal.pk] for proposal in panel.proposals)
    assert first.chance == 1.0 and last.chance == 0.0
    assert second.close_call and third.close_call
    assert second.chance + third.chance == pytest.approx(1.0)
    assert first.low <= first.high and second.low < second.high
    assert stored(panel).close_calls == 2


def test_the_same_reviews_give_the_same_figures_every_time(scene):
    panel = judged_panel(scene, random_marks(12), places=3)
    before = list(ProposalConfidence.objects.filter(stage=panel.stage).order_by("proposal_id").values())
    confidence_refresh(stage_id=panel.stage.pk)
    after = list(ProposalConfidence.objects.filter(stage=panel.stage).order_by("proposal_id").values())
    assert [(row["proposal_id"], row["chance"], row["low"]) for row in after] == [
        (row["proposal_id"], row["chance"], row["low"]) for row in before
    ]


def test_unreviewed_proposals_get_no_chance(scene):
    panel = judged_panel(scene, PERFECT, places=3)
    # The scene's own two proposals are in assessment with draft reviews only.
    assert not ProposalConfidence.objects.filter(proposal__in=[scene.proposal, scene.other_proposal]).exists()
    assert stored(panel).ranked == 6


# --- In the background, debounced --------------------------------------------------------------------------------


def test_a_burst_of_reviews_is_worked_out_once_by_the_last_request(scene, monkeypatch):
    computed = []
    real = service.confidence_compute
    monkeypatch.setattr(service, "confidence_compute", lambda stage: computed.append(stage.pk) or real(stage))
    panel = judged_panel(scene, CLOSE, places=2, compute=False)
    stage_id = panel.stage.pk
    requested = StageConfidence.objects.get(stage_id=stage_id).requested
    assert requested >= 12  # one request per review submitted

    # The tasks queued by the burst arrive in turn: every one but the last finds a newer request and stops.
    assert [confidence_refresh_task(stage_id, token) for token in range(1, requested)] == [False] * (requested - 1)
    assert computed == []
    assert confidence_refresh_task(stage_id, requested) is True
    assert computed == [stage_id]
    # Delivered again (a retry, a redelivery): the figures already answer it, so nothing is worked out twice.
    assert confidence_refresh_task(stage_id, requested) is False
    assert computed == [stage_id]


def test_an_older_run_finishing_late_never_overwrites_newer_figures(scene):
    panel = judged_panel(scene, CLOSE, places=2)
    row = stored(panel)
    newer = row.computed_for
    figures, lines = service.confidence_compute(panel.stage)
    figures["close_calls"] = 99
    assert service._store(panel.stage, newer - 1, figures, lines) is False
    assert stored(panel).close_calls == 2 and stored(panel).computed_for == newer


def test_eager_tasks_work_the_figures_out_when_the_review_is_submitted(scene, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        score(scene.review, 4, 3)
    row = StageConfidence.objects.get(stage=scene.challenge.first_stage)
    assert row.computed_at is not None and not row.out_of_date
    assert row.reviews == 1 and row.alpha is None  # one review: nothing to agree about yet


def test_changing_the_places_planned_works_the_chances_out_again(scene, django_capture_on_commit_callbacks):
    panel = judged_panel(scene, PERFECT, places=3)
    assert stored(panel).places == 3
    stage = Stage.objects.get(pk=panel.stage.pk)
    stage.places = 1
    with django_capture_on_commit_callbacks(execute=True):
        stage.save()
    assert stored(panel).places == 1
    assert chances(panel) == [1.0, 0.0, 0.0, 0.0, 0.0, 0.0]


def test_a_stage_without_figures_is_not_asked_for_any_when_saved(scene, django_capture_on_commit_callbacks):
    stage = scene.other_challenge.first_stage  # nothing ranked or reviewed there yet
    with django_capture_on_commit_callbacks(execute=True):
        stage.save()
    assert not StageConfidence.objects.filter(stage=stage).exists()


class FakeTask:
    def __init__(self, name, queued):
        self.name, self.queued = name, queued

    def apply_async(self, args, countdown=None):
        self.queued.append((self.name, args, countdown))


def test_the_task_is_queued_by_name_with_the_delay_once_committed(
    scene, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr("core.tasks.task_named", lambda name: FakeTask(name, queued))
    stage_id = scene.challenge.first_stage.pk
    with override_settings(JUDGING_CONFIDENCE_DELAY=45), django_capture_on_commit_callbacks(execute=True):
        score(scene.review, 4, 3)
    token = StageConfidence.objects.get(stage_id=stage_id).requested
    assert queued == [("judging.confidence_refresh", (stage_id, token), 45.0)]


def test_a_lost_request_is_queued_again_by_the_beat_once_overdue(scene, django_capture_on_commit_callbacks):
    # The reviews' own tasks never ran (the test's transaction never commits them): as if the broker lost them.
    panel = judged_panel(scene, CLOSE, places=2, compute=False)
    row = stored(panel)
    assert row.out_of_date and row.computed_at is None
    with django_capture_on_commit_callbacks(execute=True):
        assert service.confidence_catch_up() == [], "a request within its delay is left to its own task"
    StageConfidence.objects.filter(pk=row.pk).update(requested_at=row.requested_at - timedelta(minutes=10))
    with django_capture_on_commit_callbacks(execute=True):
        assert service.confidence_catch_up() == [panel.stage.pk]
    row = stored(panel)
    assert not row.out_of_date and row.close_calls == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert service.confidence_catch_up() == [], "answered requests are not queued again"


def test_the_catch_up_runs_on_the_beat_and_is_a_registered_task(settings):
    from celery import current_app

    current_app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "judging.confidence_catch_up" in scheduled
    assert {"judging.confidence_catch_up", "judging.confidence_refresh"} <= set(current_app.tasks)
