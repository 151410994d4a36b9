import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from submissions.services import proposal_start
from tests.factories import ChallengePageFactory, UserFactory
from tests.factories.organisations import make_organisation
from tests.factories.submissions import standard_question_set

pytestmark = pytest.mark.django_db


def test_dashboard_shows_status_deadline_and_progress(supplier_client, challenge, organisation, supplier):
    proposal = proposal_start(challenge=challenge, organisation=organisation, by=supplier)
    proposal.title = "Early Help Finder"
    proposal.save()
    body = supplier_client.get(reverse("submissions:dashboard")).content.decode()
    assert "Early Help Finder" in body
    assert "Draft" in body
    assert "Closes in 3 days — " in body
    assert "0 of 3 sections" in body
    assert organisation.name in body


def test_dashboard_query_count_does_not_grow_with_proposals(
    supplier_client, supplier, organisation, sponsor_index, sponsor, django_assert_num_queries
):
    def add(count):
        for _ in range(count):
            challenge = ChallengePageFactory(
                parent=sponsor_index, sponsor=sponsor, proposal_questions=standard_question_set()
            )
            proposal_start(challenge=challenge, organisation=organisation, by=supplier)
            organisation.memberships.create(user=UserFactory(), role="member")

    add(2)
    supplier_client.get(reverse("submissions:dashboard"))
    with CaptureQueriesContext(connection) as small:
        supplier_client.get(reverse("submissions:dashboard"))
    add(10)
    with django_assert_num_queries(len(small.captured_queries)):
        response = supplier_client.get(reverse("submissions:dashboard"))
    assert len(response.context["proposals"]) == 12


def test_several_organisations_are_listed(supplier_client, supplier, organisation):
    make_organisation(name="Second Venture CIC", owner=supplier)
    body = supplier_client.get(reverse("submissions:dashboard")).content.decode()
    assert organisation.name in body and "Second Venture CIC" in body
