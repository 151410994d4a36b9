"""Every pilot URL against every person who must be refused: none gets the page, none sees the report or its
evidence, and a POST (even one crafted by hand) changes nothing, audits nothing and emails no one. Then the people
who may, do."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import Event
from pilots.models import Milestone, Pilot, Report, ReportEvidence
from pilots.services.reports import report_attach_evidence, report_for, report_save
from tests.factories.accounts import UserFactory
from tests.factories.challenges import make_manager, other_sponsor_section
from tests.factories.judging import make_judge, seat
from tests.factories.organisations import make_organisation
from tests.factories.pilot_setup import build_pilot_scene

pytestmark = pytest.mark.django_db

NARRATIVE = "Confidential: the referrals came from ward 7's housing list."


@pytest.fixture
def scene(listing, sponsor_index, sponsor):
    scene = build_pilot_scene(sponsor_index, sponsor)
    report = report_for(scene.milestones[0])
    report_save(report=report, narrative=NARRATIVE, risks="", public_summary="", values={}, by=scene.supplier)
    upload = SimpleUploadedFile("referrals.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    scene.evidence = report_attach_evidence(report=report, upload=upload, by=scene.supplier)
    scene.colleague = UserFactory(verified=True)
    scene.proposal.organisation.memberships.create(user=scene.colleague)
    rival = UserFactory(verified=True)
    make_organisation(owner=rival, name="Rival Data Ltd")
    scene.rival = rival
    scene.judge = make_judge()
    seat(scene.challenge, scene.judge)
    _section, other_sponsor = other_sponsor_section(listing)
    scene.other_manager = make_manager(other_sponsor)
    return scene


def urls(scene) -> dict[str, str]:
    milestone, challenge, pilot = scene.milestones[0], scene.challenge.pk, scene.pilot.pk
    return {
        "pilot": reverse("pilots:pilot", args=[pilot]),
        "report": reverse("pilots:report", args=[milestone.pk]),
        "evidence": reverse("pilots:evidence", args=[scene.evidence.pk]),
        "evidence remove": reverse("pilots:evidence_remove", args=[scene.evidence.pk]),
        "admin index": reverse("pilots_admin:index"),
        "admin tab": reverse("pilots_admin:pilots", args=[challenge]),
        "admin create": reverse("pilots_admin:pilot_create", args=[challenge, scene.decision.pk]),
        "admin pilot": reverse("pilots_admin:pilot", args=[challenge, pilot]),
    }


SUPPLIER = {"pilot", "report", "evidence", "evidence remove"}
MANAGER = {"pilot", "report", "evidence", "admin index", "admin tab", "admin create", "admin pilot"}
ROLES = {
    "anonymous": set(),
    "member of another organisation": set(),
    "judge on the challenge's panel": set(),
    "another sponsor's manager": set(),
    "supplier": SUPPLIER,
    "colleague": SUPPLIER,
    "manager": MANAGER,
}


def person(scene, role):
    return {
        "anonymous": None,
        "member of another organisation": scene.rival,
        "judge on the challenge's panel": scene.judge,
        "another sponsor's manager": scene.other_manager,
        "supplier": scene.supplier,
        "colleague": scene.colleague,
        "manager": scene.manager,
    }[role]


def state():
    return (
        sorted(Pilot.objects.values_list("pk", "status", "starts_on", "ends_on", "payments_approved")),
        sorted(Milestone.objects.values_list("pk", "name", "payment")),
        sorted(Report.objects.values_list("pk", "status", "narrative")),
        sorted(ReportEvidence.objects.values_list("pk", "name")),
    )


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("role", [role for role, allowed in ROLES.items() if not allowed])
def test_refused_everywhere(client, scene, role, method, django_capture_on_commit_callbacks):
    user = person(scene, role)
    if user is not None:
        client.force_login(user)
    before, events = state(), Event.objects.count()
    public = scene.measures[0]
    data = {
        "action": "submit",
        "narrative": "Crafted",
        f"measure_{public.pk}": "999",
        "status": "stopped",
        "reason": "Crafted",
        "starts_on": "2027-01-01",
        "ends_on": "2027-12-31",
        "report_reminder_days": "7",
    }
    for name, url in urls(scene).items():
        with django_capture_on_commit_callbacks(execute=True):
            response = getattr(client, method)(url, data)
        assert response.status_code in (302, 403, 404, 405), f"{role} {method} {name}: {response.status_code}"
        if response.status_code == 302:
            assert "login" in response.url or response.url == "/admin/", f"{role} {method} {name}: {response.url}"
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert NARRATIVE.encode() not in body, f"{role} {method} {name} shows the report"
        assert b"%PDF" not in body, f"{role} {method} {name} serves the evidence"
    assert state() == before
    assert Event.objects.count() == events
    assert mail.outbox == []


@pytest.mark.parametrize("role", [role for role, allowed in ROLES.items() if allowed])
def test_the_people_who_may_open_their_pages(client, scene, role):
    client.force_login(person(scene, role))
    for name, url in urls(scene).items():
        if name not in ROLES[role] or name == "evidence remove":
            continue
        response = client.get(url)
        assert response.status_code == 200, f"{role} {name}: {response.status_code}"
        if name == "evidence":
            assert b"".join(response.streaming_content).startswith(b"%PDF")
            assert response["Cache-Control"] == "private, no-store"
    if role != "manager":
        return
    # A manager reads the report on the supplier's page, but writing it is the organisation's.
    page = client.get(urls(scene)["report"]).content.decode().replace("&#x27;", "'")
    assert "you review it on the pilot's admin page" in page
    assert reverse("pilots_admin:pilot", args=[scene.challenge.pk, scene.pilot.pk]) in page
    assert "Submit report" not in page


def test_a_member_removes_evidence_from_a_draft(client, scene, django_capture_on_commit_callbacks):
    client.force_login(scene.colleague)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(urls(scene)["evidence remove"])
    assert response.status_code == 302
    assert not ReportEvidence.objects.exists()
    assert Event.objects.filter(verb="pilot report evidence removed", note="referrals.pdf").exists()


def test_reading_a_report_page_writes_nothing(client, scene):
    """Opening the page of a milestone with no report yet makes no draft row: only a save does."""
    client.force_login(scene.manager)
    second = scene.milestones[1]
    page = client.get(reverse("pilots:report", args=[second.pk]))
    assert page.status_code == 200 and "Not started" in page.content.decode()
    client.force_login(scene.supplier)
    assert client.get(reverse("pilots:report", args=[second.pk])).status_code == 200
    assert not Report.objects.filter(milestone=second).exists()
