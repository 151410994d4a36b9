"""The supplier's due-diligence page and the evidence download: only the proposal's organisation sees what it was
asked for and uploads it; evidence goes only to the organisation's members and the challenge's managers, as an
attachment; bad input keeps the page as it was and says what to do."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import Event
from judging.models import DueDiligenceCheck
from judging.services.due_diligence import (
    due_diligence_attach_evidence,
    due_diligence_checklist,
    due_diligence_record,
    due_diligence_request_evidence,
)
from submissions.models import ProposalStatus
from tests.factories.accounts import UserFactory
from tests.factories.organisations import MembershipFactory

from .test_due_diligence_admin import field_error
from .test_due_diligence_services import (
    PDF,
    WRONG_TYPE,
    item_named,
    pdf,
    program,
    shortlist,
    shortlisted_with_checklist,
    text_of,
)


@pytest.fixture
def shortlisted(scene):
    return shortlisted_with_checklist(scene)


@pytest.fixture
def asked(scene, shortlisted):
    """Insurance asked for; Financial standing asked for and already answered with a file."""
    insurance = item_named(shortlisted, "Insurance")
    due_diligence_request_evidence(item=insurance, note="Your public liability certificate.", by=scene.manager)
    finance = item_named(shortlisted, "Financial standing")
    due_diligence_request_evidence(item=finance, note="Your latest filed accounts.", by=scene.manager)
    due_diligence_attach_evidence(item=finance, upload=pdf("accounts.pdf"), by=scene.supplier)
    return {"insurance": item_named(shortlisted, "Insurance"), "finance": item_named(shortlisted, "Financial standing")}


def page(proposal) -> str:
    return reverse("judging:due_diligence", args=[proposal.pk])


def evidence_url(item) -> str:
    return reverse("judging:due_diligence_evidence", args=[item.pk])


def test_a_member_sees_what_was_asked_and_what_they_uploaded(client, scene, shortlisted, asked):
    client.force_login(scene.supplier)
    response = client.get(page(shortlisted))
    assert response.status_code == 200
    text = text_of(response)
    assert "Evidence for due diligence" in text
    assert "Insurance" in text and "Your public liability certificate." in text
    assert "Financial standing" in text and "Your latest filed accounts." in text
    assert f"accounts.pdf ({len(PDF)} bytes)" in text
    assert "Registration confirmed" not in text, "only what was asked for is shown"
    assert evidence_url(asked["finance"]) in response.content.decode()


def test_a_member_with_nothing_asked_is_told_so(client, scene, shortlisted):
    client.force_login(scene.supplier)
    text = text_of(client.get(page(shortlisted)))
    assert f"The challenge manager has not asked {shortlisted.organisation.name} for any evidence." in text


def test_a_member_uploads_evidence(client, scene, shortlisted, asked):
    colleague = UserFactory(verified=True)
    MembershipFactory(organisation=shortlisted.organisation, user=colleague)
    client.force_login(colleague)
    item = asked["insurance"]

    response = client.post(
        page(shortlisted), {"item": item.pk, f"item-{item.pk}-evidence": pdf("liability.pdf")}, follow=True
    )

    assert "liability.pdf uploaded as evidence of Insurance." in text_of(response)
    item.refresh_from_db()
    assert item.evidence_name == "liability.pdf" and item.evidence_uploaded_by == colleague
    assert Event.objects.filter(verb="due diligence evidence uploaded", subject="Insurance", actor=colleague).exists()


def test_a_wrong_file_is_refused_beside_the_field_and_nothing_changes(client, scene, shortlisted, asked):
    client.force_login(scene.supplier)
    item = asked["finance"]
    before = Event.objects.count()

    response = client.post(page(shortlisted), {"item": item.pk, f"item-{item.pk}-evidence": program()})

    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in text_of(response)
    assert f'href="#id_item-{item.pk}-evidence"' in html
    assert field_error(html, f"item-{item.pk}-evidence") == f"Error: {WRONG_TYPE}"
    item.refresh_from_db()
    assert item.evidence_name == "accounts.pdf", "the file already uploaded is kept"
    assert Event.objects.count() == before


def test_no_file_chosen_says_so(client, scene, shortlisted, asked):
    client.force_login(scene.supplier)
    item = asked["insurance"]
    response = client.post(page(shortlisted), {"item": item.pk})
    assert response.status_code == 400
    assert field_error(response.content.decode(), f"item-{item.pk}-evidence") == "Error: Choose a file to upload"


def test_a_settled_check_takes_no_more_evidence(client, scene, shortlisted, asked):
    due_diligence_record(item=asked["finance"], status="passed", note="", by=scene.manager)
    client.force_login(scene.supplier)
    item = asked["finance"]
    assert "Nothing more is needed for Financial standing." in text_of(client.get(page(shortlisted)))

    response = client.post(page(shortlisted), {"item": item.pk, f"item-{item.pk}-evidence": pdf("newer.pdf")})

    assert response.status_code == 400
    assert "Nothing more is needed for Financial standing, so its evidence can no longer change." in text_of(response)
    item.refresh_from_db()
    assert item.evidence_name == "accounts.pdf"


@pytest.mark.parametrize("status", [ProposalStatus.WITHDRAWN, ProposalStatus.NOT_SELECTED])
def test_a_proposal_out_of_the_running_takes_no_more_evidence_and_the_page_does_not_say_why(
    client, scene, shortlisted, asked, status
):
    shortlist(shortlisted, status)
    client.force_login(scene.supplier)
    item = asked["insurance"]
    assert "Nothing more is needed for Insurance." in text_of(client.get(page(shortlisted)))

    response = client.post(page(shortlisted), {"item": item.pk, f"item-{item.pk}-evidence": pdf("late.pdf")})

    assert response.status_code == 400
    text = text_of(response)
    assert "Nothing more is needed for Insurance, so its evidence can no longer change." in text
    assert "not selected" not in text.lower() and "withdrawn" not in text.lower()
    item.refresh_from_db()
    assert not item.evidence


def test_a_check_not_asked_for_cannot_be_uploaded_to(client, scene, shortlisted, asked):
    client.force_login(scene.supplier)
    registration = item_named(shortlisted, "Registration confirmed")
    response = client.post(page(shortlisted), {"item": registration.pk, f"item-{registration.pk}-evidence": pdf()})
    assert response.status_code == 404
    registration.refresh_from_db()
    assert not registration.evidence


# The download


@pytest.mark.parametrize("who", ["member", "manager"])
def test_the_evidence_downloads_as_an_attachment(client, scene, asked, who):
    client.force_login(scene.supplier if who == "member" else scene.manager)
    response = client.get(evidence_url(asked["finance"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="accounts.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"] and response["X-Content-Type-Options"] == "nosniff"


def test_an_item_without_evidence_is_not_found(client, scene, asked):
    client.force_login(scene.manager)
    assert client.get(evidence_url(asked["insurance"])).status_code == 404


# Access

REFUSED = ["other supplier", "judge", "other manager", "conflicted judge"]


def refused(scene, role):
    return {
        "other supplier": scene.other_proposal.created_by,
        "judge": scene.judges[0],
        "other manager": scene.other_manager,
        "conflicted judge": scene.conflicted_judge,
    }[role]


@pytest.mark.parametrize("role", REFUSED)
def test_nobody_else_sees_the_page_the_evidence_or_uploads(client, scene, shortlisted, asked, role):
    client.force_login(refused(scene, role))
    item = asked["insurance"]
    before = Event.objects.count()
    for response in (
        client.get(page(shortlisted)),
        client.post(page(shortlisted), {"item": item.pk, f"item-{item.pk}-evidence": pdf()}),
        client.get(evidence_url(asked["finance"])),
    ):
        assert response.status_code == 404
        body = response.content.decode()
        assert "%PDF" not in body and "public liability" not in body and shortlisted.title not in body
    item.refresh_from_db()
    assert not item.evidence and Event.objects.count() == before


def test_anonymous_visitors_are_sent_to_sign_in(client, scene, shortlisted, asked):
    item = asked["insurance"]
    for response in (
        client.get(page(shortlisted)),
        client.post(page(shortlisted), {"item": item.pk, f"item-{item.pk}-evidence": pdf()}),
        client.get(evidence_url(asked["finance"])),
    ):
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    item.refresh_from_db()
    assert not item.evidence


# Query counts


def test_the_pages_query_count_does_not_grow_with_requests(client, scene, shortlisted, asked):
    client.force_login(scene.supplier)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page(shortlisted)).status_code == 200
        return len(captured)

    queries()  # the first request of a session does more (the session, the messages)
    few = queries()
    for n in range(6):
        DueDiligenceCheck.objects.create(challenge=scene.challenge, name=f"Extra check {n}", sort_order=10 + n)
    for item in due_diligence_checklist(proposal=shortlisted):
        if item.name.startswith("Extra"):
            due_diligence_request_evidence(item=item, note="A document.", by=scene.manager)
            due_diligence_attach_evidence(item=item, upload=pdf(), by=scene.supplier)
    assert queries() == few
