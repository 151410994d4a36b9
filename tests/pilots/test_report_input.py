"""Bad input on a report gets a clear message beside its field and loses nothing typed: a value that is not a
number, a missing value at submission, a file that is not what it claims. The final report asks for a public
summary; the others do not."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pilots.models import Report, ReportStatus
from tests.factories.accounts import sign_in
from tests.factories.pilot_setup import build_pilot_scene

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(client, sponsor_index, sponsor):
    scene = build_pilot_scene(sponsor_index, sponsor)
    sign_in(client, scene.supplier)
    return scene


def text(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&amp;", "&")


def post(client, scene, milestone, **fields):
    public, private = scene.measures
    data = {
        "narrative": "We found 140 households at risk.",
        f"measure_{public.pk}": "140",
        f"measure_{private.pk}": "4.5",
        "risks": "",
        "action": "save",
    }
    data.update({f"measure_{public.pk}" if k == "households" else k: v for k, v in fields.items()})
    return client.post(reverse("pilots:report", args=[milestone.pk]), data)


def test_a_value_that_is_not_a_number_is_refused_by_name_and_nothing_is_lost(client, scene):
    response = post(client, scene, scene.milestones[0], households="about 140")
    assert response.status_code == 400
    page = text(response)
    assert "Enter households identified before crisis as a number, like 140 or 12.5" in page
    assert 'value="about 140"' in page
    assert "We found 140 households at risk." in page
    assert "Nothing was saved yet: everything you typed is still below." in page
    assert not Report.objects.filter(narrative__contains="140").exists()


@pytest.mark.parametrize(
    "typed, message",
    [
        ("1e999", "as a number, like 140 or 12.5"),
        ("NaN", "as a number, like 140 or 12.5"),
        ("--4", "as a number, like 140 or 12.5"),
        ("12.345", "with at most 2 decimal places"),
    ],
)
def test_odd_numbers_are_refused_with_a_message(client, scene, typed, message):
    response = post(client, scene, scene.milestones[0], households=typed)
    assert response.status_code == 400
    assert f"Error:</span> Enter households identified before crisis {message}" in text(response)
    assert f'value="{typed}"' in text(response)
    assert not Report.objects.exists()


def test_thousands_separators_are_understood(client, scene):
    assert post(client, scene, scene.milestones[0], households="1,250").status_code == 302
    report = Report.objects.get()
    assert report.values.get(measure=scene.measures[0]).value == 1250


def test_submitting_without_a_value_names_the_measure_and_keeps_the_draft(client, scene):
    response = post(client, scene, scene.milestones[0], households="", action="submit")
    assert response.status_code == 400
    page = text(response)
    assert "Enter the current value of households identified before crisis" in page
    assert "Your text and values were saved as a draft" in page
    assert Report.objects.get().status == ReportStatus.DRAFT


def test_a_file_that_is_not_what_it_claims_is_refused_and_the_text_is_kept(client, scene):
    fake = SimpleUploadedFile("evidence.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    response = post(client, scene, scene.milestones[0], evidence=fake, narrative="Kept even though the file failed.")
    assert response.status_code == 400
    page = text(response)
    assert "Your text and values were saved as a draft" in page
    assert "Kept even though the file failed." in page
    report = Report.objects.get()
    assert report.narrative == "Kept even though the file failed." and not report.evidence.exists()


def test_only_the_final_report_asks_for_the_public_summary(client, scene):
    first, last = scene.milestones
    assert "Public summary of the pilot" not in text(client.get(reverse("pilots:report", args=[first.pk])))
    assert "Public summary of the pilot" in text(client.get(reverse("pilots:report", args=[last.pk])))
    response = post(client, scene, last, action="submit")
    assert response.status_code == 400
    assert "Write the public summary of what the pilot achieved" in text(response)


def test_the_proposal_page_leads_to_the_pilot(client, scene):
    page = text(client.get(reverse("submissions:task_list", args=[scene.proposal.pk])))
    assert "Your pilot" in page
    assert "Next report: Milestone 1" in page
    assert reverse("pilots:pilot", args=[scene.pilot.pk]) in page
    pilot_page = text(client.get(reverse("pilots:pilot", args=[scene.pilot.pk])))
    assert "Milestones and reports" in pilot_page and "Not started" in pilot_page
    assert "Households identified before crisis" in pilot_page
