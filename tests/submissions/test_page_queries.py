"""The supplier's pages and the submit flow ask the database a fixed number of questions, whatever the size of
the question set, the answers or the history, and never ask the same one twice (issue 15)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from submissions.services import proposal_start
from tests.factories import ChallengePageFactory
from tests.factories.submissions import question, section

from .conftest import PDF, question_ids
from .test_flow import delivery

pytestmark = pytest.mark.django_db

MEMBERSHIP = re.compile(r'"accounts_membership"')
# full_clean()'s foreign-key and uniqueness look-ups, which the database already guarantees.
EXISTS_LOOKUP = re.compile(r'^SELECT .{0,12}AS "a" FROM "(challenges_challengepage|challenges_stage|accounts_\w+)"')


def question_set(sections: int, per_section: int) -> list[dict]:
    return [
        section(
            f"Part {s}",
            *[question("short_text", f"Question {s}.{q}", max_length=40) for q in range(per_section)],
        )
        for s in range(sections)
    ]


def answered_proposal(sponsor_index, sponsor, organisation, supplier, *, sections: int, per_section: int):
    challenge = ChallengePageFactory(
        parent=sponsor_index, sponsor=sponsor, proposal_questions=question_set(sections, per_section)
    )
    proposal = proposal_start(challenge=challenge, organisation=organisation, by=supplier)
    for block in challenge.first_stage.questions.raw_data:
        for item in block["value"]["questions"]:
            proposal.answers[item["id"]] = f"Answer to {item['value']['label']}"
    proposal.save()
    return proposal


def queries(client, url, method="get", data=None) -> list[str]:
    client.get(url) if method == "get" else None
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302), response.status_code
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize(
    "page",
    [
        lambda proposal: reverse("submissions:task_list", args=[proposal.pk]),
        lambda proposal: reverse("submissions:section", args=[proposal.pk, 1]),
        lambda proposal: reverse("submissions:check", args=[proposal.pk]),
    ],
    ids=["task list", "section", "check answers"],
)
def test_proposal_pages_ask_the_same_queries_for_a_small_and_a_large_question_set(
    page, supplier_client, supplier, organisation, sponsor_index, sponsor
):
    small = answered_proposal(sponsor_index, sponsor, organisation, supplier, sections=2, per_section=2)
    large = answered_proposal(sponsor_index, sponsor, organisation, supplier, sections=8, per_section=12)
    small_queries = queries(supplier_client, page(small))
    large_queries = queries(supplier_client, page(large))
    assert len(large_queries) == len(small_queries)
    # Whether the viewer belongs to the organisation is read with the proposal, in the same query, and once.
    assert sum(bool(MEMBERSHIP.search(sql)) for sql in large_queries) == 1


def test_task_list_queries_do_not_grow_with_submitted_versions(
    supplier_client, supplier, organisation, sponsor_index, sponsor, django_capture_on_commit_callbacks
):
    proposal = answered_proposal(sponsor_index, sponsor, organisation, supplier, sections=1, per_section=1)
    url = reverse("submissions:task_list", args=[proposal.pk])
    question_name = f"q-{proposal.stage.questions.raw_data[0]['value']['questions'][0]['id']}"

    def resubmit(times):
        for n in range(times):
            section_url = reverse("submissions:section", args=[proposal.pk, 1])
            assert supplier_client.post(section_url, {question_name: f"Version {n} {times}"}).status_code == 302
            with django_capture_on_commit_callbacks(execute=True):
                assert supplier_client.post(reverse("submissions:submit", args=[proposal.pk])).status_code == 302

    proposal.title, proposal.public_summary, proposal.consent_to_publish = "Title", "Summary", True
    proposal.save()
    resubmit(1)
    one = queries(supplier_client, url)
    resubmit(5)
    many = queries(supplier_client, url)
    assert len(many) == len(one)
    assert sum('"submissions_proposalversion"' in sql for sql in many) == 1
    assert sum('"challenges_stage"' in sql and "submissions_proposal" not in sql for sql in many) == 1


def test_saving_a_section_and_submitting_ask_no_membership_or_foreign_key_twice(
    supplier_client, supplier, organisation, sponsor_index, sponsor, django_capture_on_commit_callbacks
):
    proposal = answered_proposal(sponsor_index, sponsor, organisation, supplier, sections=2, per_section=3)
    proposal.title, proposal.public_summary, proposal.consent_to_publish = "Title", "Summary", True
    proposal.save()
    first, *others = [item["id"] for item in proposal.stage.questions.raw_data[0]["value"]["questions"]]
    answers = {f"q-{first}": "Changed"} | {f"q-{other}": proposal.answers[other] for other in others}
    save = queries(supplier_client, reverse("submissions:section", args=[proposal.pk, 1]), "post", answers)
    with django_capture_on_commit_callbacks(execute=True):
        submit = queries(supplier_client, reverse("submissions:submit", args=[proposal.pk]), "post")
    for sqls in (save, submit):
        assert sum(bool(MEMBERSHIP.search(sql)) for sql in sqls) == 1
        assert not [sql for sql in sqls if EXISTS_LOOKUP.search(sql)]
    proposal.refresh_from_db()
    assert proposal.status == "submitted" and proposal.answers[first] == "Changed"


def test_saving_answers_and_a_file_locks_the_proposal_once(
    supplier_client, challenge, organisation, supplier, private_files, django_capture_on_commit_callbacks
):
    proposal = proposal_start(challenge=challenge, organisation=organisation, by=supplier)
    names = question_ids(challenge)
    url = reverse("submissions:section", args=[proposal.pk, 2])
    for n in range(2):  # the first file, then one replacing it
        data = delivery(names, **{names["Project plan"]: SimpleUploadedFile(f"plan-{n}.pdf", PDF, "application/pdf")})
        with django_capture_on_commit_callbacks(execute=True):
            sqls = queries(supplier_client, url, "post", data)
        # Read once to check who is asking, once more under lock (FOR UPDATE on PostgreSQL), and written once.
        proposal_reads = [sql for sql in sqls if sql.startswith('SELECT "submissions_proposal"."id"')]
        assert len(proposal_reads) == 2 and MEMBERSHIP.search(proposal_reads[0])
        assert sum(sql.startswith('UPDATE "submissions_proposal"') for sql in sqls) == 1
        assert sum(bool(MEMBERSHIP.search(sql)) for sql in sqls) == 1
        assert not [sql for sql in sqls if EXISTS_LOOKUP.search(sql)]
    proposal.refresh_from_db()
    assert proposal.answers[names["Project plan"][2:]]["name"] == "plan-1.pdf"
    assert proposal.answers[names["Can you start within 6 weeks?"][2:]] == "yes"
    assert list(proposal.attachments.values_list("name", flat=True)) == ["plan-1.pdf"]
