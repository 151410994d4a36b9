"""A manager sets a challenge up as stages in Wagtail; bad dates are named on the stage to fix, nothing typed is
lost; the public page shows the stages and where the challenge is now."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from challenges.funding import funding_awards_set
from challenges.models import ChallengePage, Theme
from tests.factories import ChallengePageFactory, UserFactory
from tests.factories.admin_forms import stage_row, stages_formset
from tests.factories.stages import build_staged_scene

pytestmark = pytest.mark.django_db
PUBLISH = {"action-publish": "action-publish"}


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True, two_factor=True))
    return client


def form(sponsor, *stages, **fields):
    data = {
        "title": "Living well at home",
        "slug": "living-well-at-home",
        "summary": "Help people stay independent for longer.",
        "sponsor": sponsor.pk,
        "themes": Theme.objects.get(slug="wellbeing").pk,
        "problem_statement": streamfield([("paragraph", rich_text("<p>An ageing population.</p>"))]),
        "what_we_seek": rich_text("<p>Sensors residents control.</p>"),
        "eligibility": rich_text("<p>UK organisations.</p>"),
        "funding_available": "30000",
        "faqs": inline_formset([]),
        "stages": stages_formset(*stages),
        **PUBLISH,
        **fields,
    }
    return nested_form_data(data)


def test_a_manager_sets_up_three_stages_and_the_entry_window_follows_the_first(admin_client, sponsor_index, sponsor):
    url = reverse("wagtailadmin_pages:add", args=("challenges", "challengepage", sponsor_index.pk))
    response = admin_client.post(
        url,
        form(
            sponsor,
            stage_row("2027-03-01 09:00", "2027-03-20 17:00", name="Expression of interest"),
            stage_row("2027-03-27 09:00", "2027-04-24 17:00", name="Full proposal"),
            stage_row("2027-05-10 09:00", "2027-05-11 17:00", name="Pitch", kind="pitch"),
        ),
    )
    assert response.status_code == 302
    page = ChallengePage.objects.get(slug="living-well-at-home")
    assert [(s.name, s.kind) for s in page.stage_list] == [
        ("Expression of interest", "written"),
        ("Full proposal", "written"),
        ("Pitch", "pitch"),
    ]
    assert (page.opens_at, page.closes_at) == (page.stage_list[0].opens_at, page.stage_list[0].closes_at)


def test_a_stage_opening_before_the_one_before_closes_is_named_on_its_field(admin_client, sponsor_index, sponsor):
    url = reverse("wagtailadmin_pages:add", args=("challenges", "challengepage", sponsor_index.pk))
    response = admin_client.post(
        url,
        form(
            sponsor,
            stage_row("2027-03-01 09:00", "2027-03-20 17:00", name="Expression of interest"),
            stage_row("2027-03-15 09:00", "2027-04-24 17:00", name="Full proposal"),
        ),
    )
    assert response.status_code == 200
    second = response.context["form"].formsets["stages"].forms[1]
    assert second.errors["opens_at"] == [
        "Full proposal must open after Expression of interest closes (5pm, Saturday 20 March 2027): stages cannot "
        "overlap."
    ]
    assert not ChallengePage.objects.filter(slug="living-well-at-home").exists()
    html = response.content.decode()
    assert "Help people stay independent for longer." in html
    assert 'value="Full proposal"' in html


def test_funding_cannot_be_lowered_below_what_is_awarded(admin_client, sponsor_index, sponsor):
    page = ChallengePageFactory(
        parent=sponsor_index, sponsor=sponsor, slug="living-well-at-home", funding_available=30000
    )
    funding_awards_set(challenge=page, awarded=20000)
    stage = page.first_stage
    row = stage_row(
        timezone.localtime(stage.opens_at).strftime("%Y-%m-%d %H:%M"),
        timezone.localtime(stage.closes_at).strftime("%Y-%m-%d %H:%M"),
        id=str(stage.pk),
    )
    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)), form(sponsor, row, funding_available="15000")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["funding_available"] == [
        "£20,000 is already awarded, so the funding cannot be less than that."
    ]


def test_the_public_page_shows_the_stages_and_where_the_challenge_is_now(client, sponsor_index, sponsor):
    staged = build_staged_scene(sponsor_index, sponsor)
    html = client.get(staged.challenge.url).content.decode()
    assert "How this challenge runs" in html
    assert "It is now in stage 2: Full proposal." in html
    assert "Stage 3: Pitch" in html
    assert "Closes to new entries" in html


def test_a_one_stage_challenge_page_reads_as_before(client, sponsor_index, sponsor):
    page = ChallengePageFactory(parent=sponsor_index, sponsor=sponsor, opens_at=timezone.now() - timedelta(days=1))
    html = client.get(page.url).content.decode()
    assert "How this challenge runs" not in html
    assert "Closes to new entries" not in html
