"""The managers' due-diligence pages in the Wagtail admin: the list with progress, one proposal's checklist, the
checks; bad input keeps what was typed and uploaded; nobody but the challenge's managers gets in; the query count
does not grow with proposals or checks."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import Event
from judging.models import DueDiligenceCheck, DueDiligenceItem
from judging.services.due_diligence import due_diligence_record
from submissions.models import ProposalStatus
from tests.factories.submissions import make_proposal

from .test_admin_screening import ROLES, assert_refused, assert_sent_to_sign_in, refused_user
from .test_due_diligence_services import (
    WRONG_TYPE,
    item_named,
    pdf,
    program,
    settle,
    shortlist,
    shortlisted_with_checklist,
    text_of,
)


@pytest.fixture
def shortlisted(scene):
    return shortlisted_with_checklist(scene)


def list_url(scene) -> str:
    return reverse("judging_admin:due_diligence", args=[scene.challenge.pk])


def page_url(scene, proposal) -> str:
    return reverse("judging_admin:due_diligence_proposal", args=[scene.challenge.pk, proposal.pk])


def checks_url(scene) -> str:
    return reverse("judging_admin:due_diligence_checks", args=[scene.challenge.pk])


def field_error(html: str, name: str) -> str:
    """The error message tied to the input ``name`` (its ``aria-describedby`` names the message's id)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    field = soup.find(attrs={"name": name})
    ids = (field.get("aria-describedby") or "").split()
    assert f"id_{name}-error" in ids, f"{name} is not described by its error"
    return " ".join(soup.find(id=f"id_{name}-error").get_text(" ").split())


# The list


def test_the_list_shows_each_shortlisted_proposal_with_its_progress(manager_client, scene, shortlisted):
    settle(shortlisted, scene.manager, except_for=("Insurance", "Financial standing"))
    due_diligence_record(
        item=item_named(shortlisted, "Financial standing"), status="failed", note="Accounts overdue.", by=scene.manager
    )
    winner = shortlist(scene.other_proposal, ProposalStatus.WINNER)
    not_yet = make_proposal(scene.challenge, title="Still in assessment")

    response = manager_client.get(list_url(scene))

    assert response.status_code == 200
    text = text_of(response)
    assert f"{shortlisted.reference} {shortlisted.title}" in text
    assert "5 of 6 done, 1 failed" in text
    assert f"{winner.reference}" in text and "0 of 6 done" in text
    assert not_yet.title not in text
    assert 'aria-current="page"' in response.content.decode().split("Due diligence</a>")[0].rsplit("<a", 1)[1]


def test_the_tab_is_on_every_judging_page(manager_client, scene):
    html = manager_client.get(reverse("judging_admin:decisions", args=[scene.challenge.pk])).content.decode()
    assert f'href="{list_url(scene)}"' in html


# The checklist


def test_the_checklist_shows_each_check_with_a_form(manager_client, scene, shortlisted):
    response = manager_client.get(page_url(scene, shortlisted))
    assert response.status_code == 200
    text = text_of(response)
    for name in ("Registration confirmed", "Insurance", "Conflicts of interest declared"):
        assert f"{name}: Not yet checked" in text
        assert f"Save {name}" in text
    assert "An award cannot be confirmed yet" in text and "Insurance is not yet checked" in text
    assert "Ask the supplier for evidence" in text


def test_a_manager_records_a_result_with_evidence(manager_client, scene, shortlisted):
    insurance = item_named(shortlisted, "Insurance")
    prefix = f"item-{insurance.pk}"

    response = manager_client.post(
        page_url(scene, shortlisted),
        {
            "item": insurance.pk,
            "action": "record",
            f"{prefix}-status": "passed",
            f"{prefix}-note": "£5m cover.",
            f"{prefix}-evidence": pdf(),
        },
        follow=True,
    )

    text = text_of(response)
    assert "Insurance: saved the evidence file insurance-certificate.pdf and the result (Passed)." in text
    assert "Insurance: Passed" in text
    assert "insurance-certificate.pdf" in text and scene.manager.get_full_name() in text
    insurance.refresh_from_db()
    assert (insurance.status, insurance.note, insurance.decided_by) == ("passed", "£5m cover.", scene.manager)
    assert reverse("judging:due_diligence_evidence", args=[insurance.pk]) in response.content.decode()
    verbs = set(Event.objects.filter(proposal_id=shortlisted.pk).values_list("verb", flat=True))
    assert verbs == {"due diligence recorded", "due diligence evidence uploaded"}


def test_a_failure_without_a_note_says_so_beside_the_note_and_keeps_the_evidence(manager_client, scene, shortlisted):
    item = item_named(shortlisted, "Financial standing")
    prefix = f"item-{item.pk}"

    response = manager_client.post(
        page_url(scene, shortlisted),
        {
            "item": item.pk,
            "action": "record",
            f"{prefix}-status": "failed",
            f"{prefix}-note": "",
            f"{prefix}-evidence": pdf("accounts-2026.pdf"),
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert field_error(html, f"{prefix}-note") == "Say why Financial standing failed"
    assert "Financial standing: Saved the evidence file accounts-2026.pdf; the rest needs correcting below." in text_of(
        response
    )
    assert f'id="id_{prefix}-status_1" checked' in html or f'value="failed" id="id_{prefix}-status_1" checked' in html
    item.refresh_from_db()
    assert item.status == "open" and item.evidence_name == "accounts-2026.pdf"


def test_a_wrong_file_is_refused_beside_the_file_and_the_result_and_note_are_kept(manager_client, scene, shortlisted):
    item = item_named(shortlisted, "Insurance")
    prefix = f"item-{item.pk}"

    response = manager_client.post(
        page_url(scene, shortlisted),
        {
            "item": item.pk,
            "action": "record",
            f"{prefix}-status": "failed",
            f"{prefix}-note": "Cover lapsed in May.",
            f"{prefix}-evidence": program(),
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert field_error(html, f"{prefix}-evidence") == WRONG_TYPE
    assert "Cover lapsed in May." in html
    item.refresh_from_db()
    assert (item.status, item.note, item.evidence) == ("failed", "Cover lapsed in May.", "")


def test_saving_nothing_asks_for_a_result(manager_client, scene, shortlisted):
    item = item_named(shortlisted, "Insurance")
    response = manager_client.post(page_url(scene, shortlisted), {"item": item.pk, "action": "record"})
    assert response.status_code == 400
    assert "Choose whether Insurance passed, failed or does not apply" in text_of(response)
    assert "Insurance: Nothing has been saved: it needs correcting below." in text_of(response)


def test_a_manager_asks_the_supplier_for_evidence(
    manager_client, scene, shortlisted, django_capture_on_commit_callbacks
):
    item = item_named(shortlisted, "Insurance")
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            page_url(scene, shortlisted),
            {"item": item.pk, "action": "request", f"request-{item.pk}-request_note": "Your liability certificate."},
            follow=True,
        )
    text = text_of(response)
    assert f"Insurance: evidence requested. The members of {shortlisted.organisation.name} have been emailed" in text
    assert "Asked the supplier At" in text and "Your liability certificate." in text
    assert [message.to[0] for message in mail.outbox] == [scene.supplier.email]


def test_a_request_without_a_note_is_refused_beside_it(manager_client, scene, shortlisted):
    item = item_named(shortlisted, "Insurance")
    response = manager_client.post(
        page_url(scene, shortlisted), {"item": item.pk, "action": "request", f"request-{item.pk}-request_note": ""}
    )
    assert response.status_code == 400
    assert field_error(response.content.decode(), f"request-{item.pk}-request_note") == (
        "Say what evidence the supplier should upload"
    )
    assert mail.outbox == []


def test_an_item_of_another_proposal_is_not_found(manager_client, scene, shortlisted):
    shortlist(scene.other_proposal)
    other = item_named(scene.other_proposal, "Insurance")
    response = manager_client.post(
        page_url(scene, shortlisted), {"item": other.pk, "action": "record", f"item-{other.pk}-status": "passed"}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == "open"


def test_a_proposal_not_shortlisted_shows_its_checklist_without_forms(manager_client, scene):
    response = manager_client.get(page_url(scene, scene.proposal))
    assert response.status_code == 200
    assert "Due diligence is for shortlisted proposals and awards" in text_of(response)
    assert "Save Insurance" not in text_of(response)


# The checks


def test_a_manager_changes_the_checks(manager_client, scene, shortlisted):
    checks = list(scene.challenge.due_diligence_checks.all())
    data = {"checks-TOTAL_FORMS": len(checks) + 1, "checks-INITIAL_FORMS": len(checks)}
    for n, check in enumerate(checks):
        data |= {f"checks-{n}-pk": check.pk, f"checks-{n}-name": check.name, f"checks-{n}-guidance": check.guidance}
    data[f"checks-{len(checks)}-name"] = "Modern slavery statement"
    data["checks-4-remove"] = "on"

    response = manager_client.post(checks_url(scene), data, follow=True)

    assert "The due diligence checks have been saved." in text_of(response)
    names = list(scene.challenge.due_diligence_checks.values_list("name", flat=True))
    assert "Modern slavery statement" in names and "Safeguarding (where relevant)" not in names


def test_a_check_that_records_a_result_cannot_be_renamed_and_nothing_typed_is_lost(manager_client, scene, shortlisted):
    due_diligence_record(item=item_named(shortlisted, "Insurance"), status="passed", note="", by=scene.manager)
    checks = list(scene.challenge.due_diligence_checks.all())
    data = {"checks-TOTAL_FORMS": len(checks) + 1, "checks-INITIAL_FORMS": len(checks)}
    for n, check in enumerate(checks):
        data |= {f"checks-{n}-pk": check.pk, f"checks-{n}-name": check.name}
    data["checks-2-name"] = "Insurance cover"
    data[f"checks-{len(checks)}-name"] = "Modern slavery statement"

    response = manager_client.post(checks_url(scene), data)

    assert response.status_code == 400
    html = response.content.decode()
    assert field_error(html, "checks-2-name") == (
        "Insurance cannot be changed or removed: due diligence on 1 proposal records something against it"
    )
    assert 'value="Insurance cover"' in html and 'value="Modern slavery statement"' in html
    assert not DueDiligenceCheck.objects.filter(name__in=["Insurance cover", "Modern slavery statement"]).exists()


# Access


def admin_urls(scene, proposal) -> list[str]:
    return [list_url(scene), page_url(scene, proposal), checks_url(scene)]


@pytest.mark.parametrize("role", ROLES)
def test_everyone_but_the_challenges_managers_is_refused(client, scene, shortlisted, role):
    client.force_login(refused_user(scene, role))
    item = item_named(shortlisted, "Insurance")
    for url in admin_urls(scene, shortlisted):
        assert_refused(client.get(url, follow=True), role, secrets=[shortlisted.title, "Not yet checked"])
        data = {"item": item.pk, "action": "record", f"item-{item.pk}-status": "passed"}
        assert_refused(client.post(url, data, follow=True), role)
    item.refresh_from_db()
    assert item.status == "open" and not Event.objects.exists() and mail.outbox == []


def test_anonymous_visitors_are_sent_to_sign_in(client, scene, shortlisted):
    for url in admin_urls(scene, shortlisted):
        assert_sent_to_sign_in(client.get(url))
        assert_sent_to_sign_in(client.post(url, {}))


def test_a_manager_of_another_challenges_proposal_gets_nothing(manager_client, scene):
    elsewhere = shortlist(make_proposal(scene.other_challenge, title="Salford digital skills"))
    url = reverse("judging_admin:due_diligence_proposal", args=[scene.challenge.pk, elsewhere.pk])
    assert manager_client.get(url).status_code == 404
    assert not DueDiligenceItem.objects.filter(proposal=elsewhere).exists()


# Query counts


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_lists_query_count_does_not_grow_with_proposals(manager_client, scene, shortlisted):
    manager_client.get(list_url(scene))
    few = count_queries(manager_client, list_url(scene))
    for _ in range(6):
        proposal = shortlist(make_proposal(scene.challenge))
        settle(proposal, scene.manager, except_for=("Insurance",))
    assert count_queries(manager_client, list_url(scene)) == few


def test_the_checklists_query_count_does_not_grow_with_checks(manager_client, scene, shortlisted):
    settle(shortlisted, scene.manager)
    few = count_queries(manager_client, page_url(scene, shortlisted))
    for n in range(8):
        DueDiligenceCheck.objects.create(challenge=scene.challenge, name=f"Extra check {n}", sort_order=10 + n)
    manager_client.get(page_url(scene, shortlisted))  # makes the new items
    settle(shortlisted, scene.manager)
    assert count_queries(manager_client, page_url(scene, shortlisted)) == few


def test_the_checks_pages_query_count_does_not_grow_with_checks(manager_client, scene, shortlisted):
    few = count_queries(manager_client, checks_url(scene))
    for n in range(8):
        DueDiligenceCheck.objects.create(challenge=scene.challenge, name=f"Extra check {n}", sort_order=10 + n)
    assert count_queries(manager_client, checks_url(scene)) == few
