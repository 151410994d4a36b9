"""The --scale options of seed_demo, at tiny sizes: what `make bench` seeds must be real, findable, judged data."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page

from accounts.models import User
from archive.models import ArchiveEntry
from judging.models import Review, ReviewStatus, Score
from judging.selectors.ranking import challenge_ranking
from submissions.models import Proposal, ProposalStatus


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def mentions(entry: ArchiveEntry, word: str) -> bool:
    return any(word in text.lower().split() for text in (entry.title, entry.summary, entry.body))


@pytest.mark.django_db
def test_scale_archive_entries_are_found_by_the_public_search_and_a_second_run_adds_more(client):
    before = ArchiveEntry.objects.count()
    output = seed("--scale-archive", "60")
    assert "Added 60 generated archive entries." in output
    generated = list(ArchiveEntry.objects.filter(key__startswith="scale:"))
    assert len(generated) == 60 == ArchiveEntry.objects.count() - before
    assert {entry.kind for entry in generated} == {"winner", "challenge"}
    expected = sum(mentions(entry, "homelessness") for entry in generated)
    assert expected > 0

    page = client.get("/archive/", {"q": "homelessness"})

    assert page.status_code == 200
    found = int(re.search(r"(\d+) results? for “homelessness”", page.content.decode()).group(1))
    assert found >= expected
    one = generated[7]
    assert one.title in client.get("/archive/", {"q": one.title}).content.decode()
    assert all(not problem for problem in Page.find_problems())
    seed("--scale-archive", "5")
    assert ArchiveEntry.objects.filter(key__startswith="scale:").count() == 65


@pytest.mark.django_db
def test_scale_proposals_builds_a_judged_challenge_the_results_page_ranks(client):
    output = seed("--scale-proposals", "12", "--scale-judges", "3", "--scale-panel", "5", "--scale-criteria", "4")

    assert "12 proposals, 36 submitted reviews, 144 scores" in output
    page_id = int(re.search(r"\(page (\d+)\)", output).group(1))
    proposals = Proposal.objects.filter(challenge_id=page_id)
    assert proposals.count() == 12
    assert set(proposals.values_list("status", flat=True)) == {ProposalStatus.IN_ASSESSMENT}
    reviews = Review.objects.filter(assignment__proposal__challenge_id=page_id).prefetch_related("scores")
    assert {review.status for review in reviews} == {ReviewStatus.SUBMITTED}
    for review in reviews:
        scores = list(review.scores.all())
        assert len(scores) == 4
        weights = sum(float(score.weight) for score in scores)
        by_hand = 100 * sum(float(score.weight) * score.value / score.scale_max for score in scores) / weights
        assert review.total == pytest.approx(by_hand)
    judges = {review.assignment.judge_id for review in reviews.select_related("assignment")}
    assert len(judges) == 5
    assert Score.objects.filter(review__in=reviews).count() == 144

    ranking = challenge_ranking(challenge=proposals.first().challenge)
    assert [row.rank for row in ranking] == list(range(1, 13))
    assert {row.review_count for row in ranking} == {3}

    client.force_login(User.objects.get(email="admin@urban-challenge.example"))
    results = client.get(f"/admin/judging/{page_id}/results/")
    assert results.status_code == 200
    assert all(reference in results.content.decode() for reference in proposals.values_list("reference", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scale-archive", "-1"], "must be zero or more"),
        (["--scale-proposals", "5", "--scale-judges", "3", "--scale-panel", "2"], "--scale-panel must be at least"),
        (["--scale-proposals", "5", "--scale-criteria", "0"], "must be at least 1"),
    ],
)
def test_scale_options_refuse_counts_that_cannot_make_sense(args, message):
    with pytest.raises(CommandError, match=message):
        seed(*args)
    assert not Proposal.objects.exists()
