"""The supplier reports on a milestone through the form; the manager asks for a change, the supplier revises, the
manager accepts and the milestone's payment is approved. Each email goes once; every step is on the audit log."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import Event
from pilots.models import Report, ReportStatus
from tests.factories.accounts import sign_in
from tests.factories.pilot_setup import build_pilot_scene

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def scene(sponsor_index, sponsor):
    return build_pilot_scene(sponsor_index, sponsor)


def report_post(scene, *, action="save", households="140", hours="4", narrative="We found 140 households.", **extra):
    public, private = scene.measures
    return {
        "narrative": narrative,
        f"measure_{public.pk}": households,
        f"measure_{private.pk}": hours,
        "risks": "Data sharing agreement renewal.",
        "action": action,
        **extra,
    }


def test_the_supplier_drafts_submits_revises_and_the_manager_accepts(client, scene, django_capture_on_commit_callbacks):
    milestone = scene.milestones[0]
    url = reverse("pilots:report", args=[milestone.pk])
    sign_in(client, scene.supplier)

    page = client.get(url)
    assert page.status_code == 200
    assert "Households identified before crisis (current value)" in page.content.decode()
    assert "Baseline 0, target 200 (higher is better)" in page.content.decode()

    evidence = SimpleUploadedFile("referrals.pdf", PDF, content_type="application/pdf")
    response = client.post(url, report_post(scene, evidence=evidence))
    assert response.status_code == 302
    report = Report.objects.get(milestone=milestone)
    assert report.status == ReportStatus.DRAFT and report.narrative == "We found 140 households."
    assert [e.name for e in report.evidence.all()] == ["referrals.pdf"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, report_post(scene, action="submit"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.versions.get().evidence[0]["name"] == "referrals.pdf"
    assert any(scene.manager.email in m.to and "submitted" in m.subject for m in mail.outbox)

    # The manager asks for a change, in the admin.
    manager = client.__class__()
    sign_in(manager, scene.manager)
    pilot_url = reverse("pilots_admin:pilot", args=[scene.challenge.pk, scene.pilot.pk])
    prefix = f"review-{milestone.pk}"
    review = {"action": "review", "milestone": milestone.pk}
    refused = manager.post(pilot_url, {**review, f"{prefix}-decision": "request_changes"})
    assert refused.status_code == 400
    assert "Say what the supplier should change" in refused.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        asked = manager.post(
            pilot_url,
            {
                "action": "review",
                "milestone": milestone.pk,
                f"{prefix}-decision": "request_changes",
                f"{prefix}-comment": "Say how many households were referred on.",
            },
        )
    assert asked.status_code == 302
    assert [m.to for m in mail.outbox] == [[scene.supplier.email]]
    assert "Say how many households were referred on." in mail.outbox[0].body

    page = client.get(url).content.decode()
    assert "Changes requested" in page and "Say how many households were referred on." in page
    response = client.post(url, report_post(scene, action="submit", narrative="140 found, 95 referred on."))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.versions.count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        accepted = manager.post(pilot_url, {**review, f"{prefix}-decision": "accept", f"{prefix}-comment": ""})
    assert accepted.status_code == 302
    report.refresh_from_db()
    scene.pilot.refresh_from_db()
    milestone.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert milestone.payment_approved_at is not None
    assert scene.pilot.payments_approved == Decimal("10000")
    assert [v.outcome for v in report.versions.order_by("number")] == ["changes_requested", "accepted"]
    verbs = set(Event.objects.filter(proposal_id=scene.proposal.pk).values_list("verb", flat=True))
    assert {"pilot report submitted", "pilot report changes requested", "pilot report accepted",
            "pilot payment approved", "pilot report evidence uploaded"} <= verbs  # fmt: skip

    # Accepted: the supplier can read it but no longer change it.
    page = client.get(url).content.decode()
    assert "has been accepted, so it can no longer change" in page
    assert client.post(url, report_post(scene, narrative="Changed later")).status_code == 400
    report.refresh_from_db()
    assert report.narrative == "140 found, 95 referred on."
