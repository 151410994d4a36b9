"""A manager turns an announced award into a pilot in the admin: dates, milestones with payments within the award,
outcome measures agreed before it starts, and its status with the reason. Bad input gets a clear message beside
the field and keeps everything typed; every change is audited."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import Event
from pilots.models import Milestone, Pilot, PilotStatus
from pilots.services.reports import report_accept, report_attach_evidence, report_for
from pilots.services.setup import MilestoneRow, milestones_save
from submissions.files import private_storage
from tests.factories.accounts import sign_in
from tests.factories.pilot_setup import announced_award, build_pilot_scene, report_accepted, report_submitted

pytestmark = pytest.mark.django_db


def milestone_rows(*rows, extra: int = 0) -> dict:
    data = {"action": "milestones", "milestones-TOTAL_FORMS": len(rows) + extra, "milestones-INITIAL_FORMS": 0}
    for index, row in enumerate(rows):
        data.update({f"milestones-{index}-{key}": value for key, value in row.items()})
    return data


def measure_rows(*rows) -> dict:
    data = {"action": "measures", "measures-TOTAL_FORMS": len(rows), "measures-INITIAL_FORMS": 0}
    for index, row in enumerate(rows):
        data.update({f"measures-{index}-{key}": value for key, value in row.items()})
    return data


def text(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&amp;", "&")


def test_a_manager_sets_up_a_pilot_with_milestones_and_measures(client, sponsor_index, sponsor):
    challenge, manager, _supplier, proposal, decision = announced_award(sponsor_index, sponsor)
    sign_in(client, manager)
    tab = client.get(reverse("pilots_admin:pilots", args=[challenge.pk]))
    assert tab.status_code == 200 and "Set up a pilot" in text(tab)

    create_url = reverse("pilots_admin:pilot_create", args=[challenge.pk, decision.pk])
    suggested = timezone.localdate() + timedelta(days=14)
    assert f'type="date" name="starts_on" value="{suggested:%Y-%m-%d}"' in text(client.get(create_url))
    backwards = client.post(create_url, {"starts_on": "2027-03-01", "ends_on": "2027-02-01", "report_reminder_days": 7})
    assert backwards.status_code == 400
    assert "The end date must be on or after the start date" in text(backwards)
    assert 'value="2027-03-01"' in text(backwards)  # what was typed is kept
    assert not Pilot.objects.exists()

    made = client.post(create_url, {"starts_on": "2027-03-01", "ends_on": "2027-08-31", "report_reminder_days": 7})
    pilot = Pilot.objects.get()
    assert made.status_code == 302 and made.url == reverse("pilots_admin:pilot", args=[challenge.pk, pilot.pk])
    assert pilot.award_amount == Decimal("20000")
    page_url = made.url

    over = client.post(
        page_url,
        milestone_rows(
            {"name": "Discovery", "due_on": "2027-04-01", "payment": "8000", "deliverable": "Data audit"},
            {"name": "Live trial", "due_on": "2027-07-01", "payment": "15000", "deliverable": "Trial in two wards"},
        ),
    )
    assert over.status_code == 400
    assert "add up to £23,000, more than the £20,000 award" in text(over)
    assert 'value="Live trial"' in text(over) and 'value="15000"' in text(over)
    assert not pilot.milestones.exists()

    bad_date = client.post(
        page_url, milestone_rows({"name": "Early", "due_on": "2027-02-01", "payment": "1000", "deliverable": "x"})
    )
    assert bad_date.status_code == 400 and "cannot be due before the pilot starts on 1 March 2027" in text(bad_date)

    saved = client.post(
        page_url,
        milestone_rows(
            {"name": "Discovery", "due_on": "2027-04-01", "payment": "8000", "deliverable": "Data audit"},
            {"name": "Live trial", "due_on": "2027-07-01", "payment": "12000", "deliverable": "Trial in two wards"},
            extra=1,
        ),
    )
    assert saved.status_code == 302
    assert list(pilot.milestones.values_list("name", "payment")) == [
        ("Discovery", Decimal("8000")),
        ("Live trial", Decimal("12000")),
    ]

    not_a_number = client.post(
        page_url,
        measure_rows({"name": "Households identified before crisis", "unit": "households", "baseline": "none",
                      "target": "200", "higher_is_better": "1", "is_public": "on"}),
    )  # fmt: skip
    assert not_a_number.status_code == 400
    assert "Enter the baseline as a number" in text(not_a_number)
    assert 'value="Households identified before crisis"' in text(not_a_number)

    agreed = client.post(
        page_url,
        measure_rows({"name": "Households identified before crisis", "unit": "households", "baseline": "0",
                      "target": "200", "higher_is_better": "1", "is_public": "on"}),
    )  # fmt: skip
    assert agreed.status_code == 302
    measure = pilot.measures.get()
    assert (measure.baseline, measure.target, measure.is_public) == (0, 200, True)
    verbs = list(Event.objects.filter(proposal_id=proposal.pk).values_list("verb", flat=True))
    assert {"pilot set up", "pilot milestones changed", "pilot measures agreed"} <= set(verbs)


def test_measures_are_fixed_once_the_pilot_starts(client, sponsor_index, sponsor):
    scene = build_pilot_scene(sponsor_index, sponsor)
    Pilot.objects.filter(pk=scene.pilot.pk).update(starts_on=timezone.localdate())
    sign_in(client, scene.manager)
    url = reverse("pilots_admin:pilot", args=[scene.challenge.pk, scene.pilot.pk])
    page = text(client.get(url))
    assert "so they can no longer change" in page
    assert "Save the outcome measures" not in page
    changed = client.post(
        url, measure_rows({"id": scene.measures[0].pk, "name": "Households", "unit": "households", "baseline": "0",
                           "target": "50", "higher_is_better": "1", "is_public": "on"}),
    )  # fmt: skip
    assert changed.status_code == 400
    assert "were agreed before the pilot started" in text(changed)
    scene.measures[0].refresh_from_db()
    assert scene.measures[0].target == 200


def test_status_needs_a_reason_and_complete_needs_every_report_accepted(client, sponsor_index, sponsor):
    scene = build_pilot_scene(sponsor_index, sponsor)
    sign_in(client, scene.manager)
    url = reverse("pilots_admin:pilot", args=[scene.challenge.pk, scene.pilot.pk])

    no_reason = client.post(url, {"action": "status", "status": "stopped", "reason": ""})
    assert no_reason.status_code == 400 and "Say why the pilot is stopped" in text(no_reason)

    report_accepted(scene, scene.milestones[0], {"Households identified before crisis": 80})
    early = client.post(url, {"action": "status", "status": "complete", "reason": "Done."})
    assert early.status_code == 400
    assert "once every milestone's report is accepted; not yet: Milestone 2" in text(early)

    at_risk = client.post(url, {"action": "status", "status": "at_risk", "reason": "Data sharing agreement lapsed."})
    assert at_risk.status_code == 302
    scene.pilot.refresh_from_db()
    assert (scene.pilot.status, scene.pilot.status_reason) == (PilotStatus.AT_RISK, "Data sharing agreement lapsed.")
    event = Event.objects.filter(proposal_id=scene.proposal.pk, verb="pilot status changed").get()
    assert (event.from_status, event.to_status) == ("Not started", "At risk")


def test_a_report_after_the_pilot_is_stopped_is_refused_and_nothing_is_lost(client, sponsor_index, sponsor):
    scene = build_pilot_scene(sponsor_index, sponsor)
    sign_in(client, scene.manager)
    url = reverse("pilots_admin:pilot", args=[scene.challenge.pk, scene.pilot.pk])
    client.post(url, {"action": "status", "status": "stopped", "reason": "The council withdrew the data."})

    sign_in(client, scene.supplier)
    report_url = reverse("pilots:report", args=[scene.milestones[0].pk])
    assert "This pilot is stopped, so its reports can no longer change" in text(client.get(report_url))
    public, private = scene.measures
    refused = client.post(
        report_url,
        {"narrative": "Late news", f"measure_{public.pk}": "12", f"measure_{private.pk}": "5", "action": "submit"},
    )
    assert refused.status_code == 400
    assert "This pilot is stopped" in text(refused)


def test_payments_can_never_exceed_the_award(sponsor_index, sponsor):
    """The service refuses, and the database's CHECK refuses whatever the code does."""
    scene = build_pilot_scene(sponsor_index, sponsor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Pilot.objects.filter(pk=scene.pilot.pk).update(payments_approved=Decimal("20000.01"))
    # The milestone's payment was raised past what is left (by a direct write): accepting refuses with the sums.
    report_accepted(scene, scene.milestones[0], {})
    Milestone.objects.filter(pk=scene.milestones[1].pk).update(payment=Decimal("15000"))
    report = report_submitted(scene, scene.milestones[1], {})
    with pytest.raises(ValidationError, match="bring the payments to £25,000, more than the £20,000 award"):
        report_accept(report=report, by=scene.manager)
    scene.pilot.refresh_from_db()
    assert scene.pilot.payments_approved == Decimal("10000")


def test_a_pilot_dates_edit_keeps_the_end_after_the_start(client, sponsor_index, sponsor):
    scene = build_pilot_scene(sponsor_index, sponsor)
    sign_in(client, scene.manager)
    url = reverse("pilots_admin:pilot", args=[scene.challenge.pk, scene.pilot.pk])
    start = scene.pilot.starts_on
    response = client.post(
        url,
        {"action": "dates", "starts_on": start.isoformat(), "ends_on": (start - timedelta(days=1)).isoformat(),
         "report_reminder_days": "7"},
    )  # fmt: skip
    assert response.status_code == 400 and "The end date must be on or after the start date" in text(response)


def test_removing_a_milestone_with_a_draft_report_deletes_its_files(
    sponsor_index, sponsor, django_capture_on_commit_callbacks
):
    scene = build_pilot_scene(sponsor_index, sponsor)
    first, second = scene.milestones
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    stored = report_attach_evidence(report=report_for(second), upload=upload, by=scene.supplier).file.name
    storage = private_storage()
    assert storage.exists(stored)
    keep = MilestoneRow(first.pk, first.name, first.due_on, first.payment, first.deliverable)
    gone = MilestoneRow(second.pk, second.name, second.due_on, second.payment, second.deliverable, delete=True)
    with django_capture_on_commit_callbacks(execute=True):
        milestones_save(pilot=scene.pilot, rows=[keep, gone], by=scene.manager)
    assert list(scene.pilot.milestones.values_list("name", flat=True)) == [first.name]
    assert not storage.exists(stored)
    assert Event.objects.filter(verb="pilot milestones changed", note__contains=f"removed {second.name}").exists()
