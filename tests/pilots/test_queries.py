"""Every new pilot page reads in a fixed number of queries, whatever the number of milestones, measures, reports,
versions or files."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pilots.models import Measure, Milestone
from pilots.services.reports import report_attach_evidence, report_for
from tests.factories.pilot_setup import build_pilot_scene, report_accepted, report_submitted

pytestmark = pytest.mark.django_db


def grow(scene, n: int) -> None:
    """Add ``n`` milestones (each with a submitted, then an accepted report with a file) and ``n`` measures."""
    for i in range(n):
        Measure.objects.create(pilot=scene.pilot, name=f"Grown measure {i}", unit="people", baseline=0, target=10)
    scene.measures = list(scene.pilot.measures.all())
    last_due = scene.pilot.milestones.order_by("-due_on").first().due_on
    for i in range(n):
        milestone = Milestone.objects.create(
            pilot=scene.pilot, name=f"Grown {i}", due_on=last_due - timedelta(days=i + 1), payment=Decimal(0),
            deliverable="More",
        )  # fmt: skip
        upload = SimpleUploadedFile(f"e{i}.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
        report_attach_evidence(report=report_for(milestone), upload=upload, by=scene.supplier)
        if i % 2:
            report_accepted(scene, milestone, {})
        else:
            report_submitted(scene, milestone, {})


def pages(scene) -> dict:
    return {
        "supplier pilot": (scene.supplier, reverse("pilots:pilot", args=[scene.pilot.pk])),
        "supplier report": (scene.supplier, reverse("pilots:report", args=[scene.milestones[0].pk])),
        "admin pilot": (scene.manager, reverse("pilots_admin:pilot", args=[scene.challenge.pk, scene.pilot.pk])),
        "admin tab": (scene.manager, reverse("pilots_admin:pilots", args=[scene.challenge.pk])),
        "admin index": (scene.manager, reverse("pilots_admin:index")),
    }


def counts(client, scene) -> dict[str, int]:
    found = {}
    for name, (user, url) in pages(scene).items():
        client.force_login(user)
        client.get(url)  # the session's first request does more
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, name
        found[name] = len(captured)
    return found


def test_query_counts_stay_flat(client, sponsor_index, sponsor):
    scene = build_pilot_scene(sponsor_index, sponsor)
    report_submitted(scene, scene.milestones[0], {})
    few = counts(client, scene)
    grow(scene, 5)
    assert counts(client, scene) == few
