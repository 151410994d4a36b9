"""A manager who types the dates in the wrong order is told which field to fix, and keeps everything typed."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from challenges.models import ChallengePage, Theme
from tests.factories import ChallengePageFactory, UserFactory
from tests.factories.admin_forms import stage_row, stages_formset

UK = ZoneInfo("Europe/London")


PUBLISH = {"action-publish": "action-publish"}


def challenge_form(sponsor, theme, **dates):
    data = {
        "title": "Smart parking",
        "slug": "smart-parking",
        "summary": "Help drivers find a space first time.",
        "sponsor": sponsor.pk,
        "themes": theme.pk,
        "problem_statement": streamfield([("paragraph", rich_text("<p>Drivers circle for spaces.</p>"))]),
        "what_we_seek": rich_text("<p>Live availability.</p>"),
        "eligibility": rich_text("<p>Anyone.</p>"),
        "funding_available": "75000",
        "faqs": inline_formset([]),
    }
    window = {
        "opens_at": dates.pop("opens_at", "2027-03-01 09:00"),
        "closes_at": dates.pop("closes_at", "2027-04-01 17:00"),
    }
    data["stages"] = stages_formset(stage_row(window["opens_at"], window["closes_at"]))
    data.update(dates)
    return nested_form_data(data)


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True, two_factor=True))
    return client


@pytest.mark.django_db
def test_closing_before_opening_cannot_be_published_and_the_message_is_on_the_field(
    admin_client, sponsor_index, sponsor
):
    theme = Theme.objects.get(slug="transport-and-mobility")
    url = reverse("wagtailadmin_pages:add", args=("challenges", "challengepage", sponsor_index.pk))
    response = admin_client.post(url, challenge_form(sponsor, theme, closes_at="2027-02-20 17:00", **PUBLISH))

    assert response.status_code == 200
    form = response.context["form"]
    stage_form = form.formsets["stages"].forms[0]
    assert stage_form.errors["closes_at"] == ["A stage must close after it opens (9am, Monday 1 March 2027)."]
    assert not ChallengePage.objects.filter(slug="smart-parking").exists()
    # Nothing the manager typed is lost: the form comes back with their values.
    assert form["summary"].value() == "Help drivers find a space first time."
    assert "Drivers circle for spaces." in response.content.decode()


@pytest.mark.django_db
def test_announcement_before_judging_names_the_announcement_field(admin_client, sponsor_index, sponsor):
    theme = Theme.objects.get(slug="transport-and-mobility")
    url = reverse("wagtailadmin_pages:add", args=("challenges", "challengepage", sponsor_index.pk))
    response = admin_client.post(
        url,
        challenge_form(
            sponsor,
            theme,
            judging_starts_at="2027-04-10 09:00",
            judging_ends_at="2027-05-01 17:00",
            announce_at="2027-04-20 10:00",
        ),
    )
    errors = response.context["form"].errors
    assert errors["announce_at"] == ["The announcement date must be after the judging end (5pm, Saturday 1 May 2027)."]
    assert "closes_at" not in errors


@pytest.mark.django_db
def test_editing_a_live_challenge_into_bad_dates_keeps_the_live_version(admin_client, sponsor_index, sponsor):
    page = ChallengePageFactory(parent=sponsor_index, sponsor=sponsor, slug="smart-parking")
    theme = Theme.objects.get(slug="transport-and-mobility")
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    data = challenge_form(sponsor, theme, judging_starts_at="2027-03-15 09:00", **PUBLISH)
    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert response.context["form"].errors["judging_starts_at"] == [
        "The judging start must be after the closing date of the first stage (5pm, Thursday 1 April 2027)."
    ]
    page.refresh_from_db()
    assert page.judging_starts_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("dates", "field"),
    [
        ({"closes_at": datetime(2027, 3, 1, 9, 0, tzinfo=UK)}, "closes_at"),
        ({"announce_at": datetime(2027, 5, 1, tzinfo=UK)}, "judging_starts_at"),
        (
            {"judging_starts_at": datetime(2027, 4, 10, tzinfo=UK), "judging_ends_at": datetime(2027, 4, 9, tzinfo=UK)},
            "judging_ends_at",
        ),
    ],
)
def test_model_validation_catches_dates_saved_outside_the_admin(dates, field):
    defaults = {"opens_at": datetime(2027, 3, 1, 9, 0, tzinfo=UK), "closes_at": datetime(2027, 4, 1, 17, 0, tzinfo=UK)}
    page = ChallengePage(**(defaults | dates))
    with pytest.raises(ValidationError) as error:
        page.clean_key_dates()
    assert list(error.value.message_dict) == [field]


@pytest.mark.django_db
def test_judging_may_start_the_moment_proposals_close():
    closes = datetime(2027, 4, 1, 17, 0, tzinfo=UK)
    page = ChallengePage(opens_at=datetime(2027, 3, 1, 9, 0, tzinfo=UK), closes_at=closes, judging_starts_at=closes)
    page.clean_key_dates()
