"""Judging per stage: each stage has its own panel, assignments, ranking and rubric; a judge of one stage sees
nothing of the next unless they sit on its panel; a later stage's results show the earlier stages' scores."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from judging.models import Assignment
from judging.selectors.ranking import ranking_order
from judging.services.assignments import assignments_auto
from submissions.models import ProposalStatus
from submissions.progression import proposal_take_forward
from submissions.services import proposal_submit
from tests.factories.challenges import make_manager, other_sponsor_section
from tests.factories.judging import assign, score
from tests.factories.stages import PILOT_ID, build_staged_scene
from tests.factories.submissions import make_proposal

pytestmark = pytest.mark.django_db
S = ProposalStatus


@pytest.fixture
def staged(sponsor_index, sponsor):
    return build_staged_scene(sponsor_index, sponsor)


def judged_in_first_stage(staged):
    """The forward proposal judged in the expression of interest (4 of 5 and 5 of 5), then taken forward and its
    full proposal submitted."""
    staged.forward.status = S.IN_ASSESSMENT
    staged.forward.save()
    score(assign(staged.forward, staged.eoi_judge), 4, 5)
    staged.forward.status = S.MODERATION
    staged.forward.save()
    proposal = proposal_take_forward(proposal=staged.forward, by=staged.manager)
    proposal.answers[PILOT_ID] = "Twelve homes for twelve weeks."
    proposal.save()
    proposal_submit(proposal=proposal, by=staged.supplier)
    proposal.refresh_from_db()
    return proposal


def test_automatic_assignment_uses_the_stage_panel_only(staged):
    proposal = judged_in_first_stage(staged)
    proposal.status = S.ELIGIBLE
    proposal.save()
    made = assignments_auto(challenge=staged.challenge, stage=staged.stages[1], by=staged.manager)
    assert [(a.proposal_id, a.judge_id, a.stage_id) for a in made] == [
        (proposal.pk, staged.full_judge.pk, staged.stages[1].pk)
    ]


def test_a_judge_of_an_earlier_stage_not_on_the_next_panel_sees_nothing_of_it(staged, client):
    proposal = judged_in_first_stage(staged)
    proposal.status = S.IN_ASSESSMENT
    proposal.save()
    later = assign(proposal, staged.full_judge)
    earlier = Assignment.objects.get(proposal=proposal, stage=staged.stages[0])

    client.force_login(staged.eoi_judge)
    assert client.get(reverse("judging:review", args=[earlier.pk])).status_code in (403, 404)
    assert client.get(reverse("judging:review", args=[later.assignment_id])).status_code in (403, 404)
    dashboard = client.get(reverse("judging:dashboard")).content.decode()
    assert reverse("judging:review", args=[earlier.pk]) not in dashboard
    assert "Twelve homes for twelve weeks." not in dashboard

    client.force_login(staged.full_judge)
    page = client.get(reverse("judging:review", args=[later.assignment_id]))
    assert page.status_code == 200


def test_each_stage_ranks_its_own_reviews_and_later_results_show_earlier_scores(staged, client):
    proposal = judged_in_first_stage(staged)
    proposal.status = S.IN_ASSESSMENT
    proposal.save()
    score(assign(proposal, staged.full_judge), 2, 1)
    first = ranking_order(challenge=staged.challenge, stage=staged.stages[0])
    second = ranking_order(challenge=staged.challenge, stage=staged.stages[1])
    assert [(row.proposal_id, row.raw_mean) for row in first] == [(proposal.pk, pytest.approx(86.666667))]
    assert [(row.proposal_id, row.raw_mean) for row in second] == [(proposal.pk, pytest.approx(33.333333))]

    client.force_login(staged.manager)
    url = reverse("judging_admin:results", args=[staged.challenge.pk]) + f"?stage={staged.stages[1].pk}"
    html = client.get(url).content.decode()
    assert "Expression of interest: normalised" in html
    assert "Stage:" in html and "2. Full proposal" in html


def test_the_progression_page_takes_forward_in_bulk_with_feedback_each(staged, client):
    client.force_login(staged.manager)
    url = reverse("judging_admin:progression", args=[staged.challenge.pk]) + f"?stage={staged.stages[0].pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert "Take forward to Full proposal" in page.content.decode()

    refused = client.post(url, {"proposals": [staged.left_behind.pk], "decision": "not_forward", "feedback": ""})
    assert refused.status_code == 400
    assert f"Give feedback for {staged.left_behind.reference}" in refused.content.decode()
    staged.left_behind.refresh_from_db()
    assert staged.left_behind.status == S.ELIGIBLE

    client.post(
        url,
        {
            "proposals": [staged.left_behind.pk],
            "decision": "not_forward",
            f"feedback-{staged.left_behind.pk}": "The evidence of need was thin.",
        },
    )
    client.post(url, {"proposals": [staged.forward.pk], "decision": "forward"})
    staged.forward.refresh_from_db()
    staged.left_behind.refresh_from_db()
    assert (staged.forward.stage_id, staged.forward.status) == (staged.stages[1].pk, S.DRAFT)
    assert staged.left_behind.status == S.NOT_TAKEN_FORWARD
    html = client.get(url).content.decode()
    assert "The evidence of need was thin." in html
    assert "Taken forward to Full proposal" in html


@pytest.mark.parametrize("who", ["other_manager", "judge", "supplier"])
def test_the_progression_page_is_for_the_challenges_managers_only(staged, client, who, listing):
    _, other_sponsor = other_sponsor_section(listing)
    people = {
        "other_manager": make_manager(other_sponsor, email="manager@gmca.example"),
        "judge": staged.eoi_judge,
        "supplier": staged.supplier,
    }
    client.force_login(people[who])
    url = reverse("judging_admin:progression", args=[staged.challenge.pk])
    response = client.post(url, {"proposals": [staged.forward.pk], "decision": "forward"})
    assert response.status_code in (302, 403, 404)
    staged.forward.refresh_from_db()
    assert staged.forward.stage_id == staged.stages[0].pk


def test_the_progression_page_query_count_does_not_grow_with_proposals(staged, client):
    client.force_login(staged.manager)
    url = reverse("judging_admin:progression", args=[staged.challenge.pk]) + f"?stage={staged.stages[0].pk}"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(6):
        make_proposal(staged.challenge, stage=staged.stages[0], status="eligible")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
