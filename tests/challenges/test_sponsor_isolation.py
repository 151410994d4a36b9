"""A challenge manager works only inside their own sponsor's section of the site."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from challenges.models import ChallengePage, Theme
from challenges.services import manager_group_name, sponsor_grant_manager_access
from tests.factories import ChallengeIndexPageFactory, ChallengePageFactory, SponsorFactory
from tests.factories.admin_forms import stage_row, stages_formset


@pytest.fixture
def council(listing):
    sponsor = SponsorFactory(name="Brindleford City Council", slug="brindleford")
    section = ChallengeIndexPageFactory(parent=listing, title=sponsor.name, slug=sponsor.slug, sponsor=sponsor)
    return sponsor, section


PUBLISH = {"action-publish": "action-publish"}


def form_for(sponsor, title="Living well at home", slug="living-well", **extra):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "summary": "Help people stay independent.",
            "sponsor": sponsor.pk,
            "themes": Theme.objects.get(slug="wellbeing").pk,
            "problem_statement": streamfield([("paragraph", rich_text("<p>Ageing population.</p>"))]),
            "what_we_seek": rich_text("<p>Sensors.</p>"),
            "eligibility": rich_text("<p>UK organisations.</p>"),
            "funding_available": "80000",
            "faqs": inline_formset([]),
            "stages": stages_formset(stage_row("2027-03-01 09:00", "2027-04-01 17:00")),
            **extra,
        }
    )


def add_url(section):
    return reverse("wagtailadmin_pages:add", args=("challenges", "challengepage", section.pk))


@pytest.mark.django_db
def test_manager_creates_and_publishes_in_their_own_section(manager_client, sponsor_index, sponsor):
    response = manager_client.post(add_url(sponsor_index), form_for(sponsor, **PUBLISH))
    assert response.status_code == 302
    page = ChallengePage.objects.get(slug="living-well")
    assert page.live
    assert page.get_parent().pk == sponsor_index.pk


@pytest.mark.django_db
def test_manager_cannot_create_in_another_sponsors_section(manager_client, council):
    other_sponsor, other_section = council
    assert manager_client.get(add_url(other_section)).status_code in (302, 403)
    manager_client.post(add_url(other_section), form_for(other_sponsor, **PUBLISH))
    assert not ChallengePage.objects.filter(slug="living-well").exists()


@pytest.mark.django_db
def test_manager_cannot_edit_or_unpublish_another_sponsors_challenge(manager_client, council):
    other_sponsor, other_section = council
    theirs = ChallengePageFactory(parent=other_section, sponsor=other_sponsor, title="Their challenge")
    edit_url = reverse("wagtailadmin_pages:edit", args=(theirs.pk,))
    assert manager_client.get(edit_url).status_code in (302, 403)
    manager_client.post(edit_url, form_for(other_sponsor, title="Hijacked", slug=theirs.slug))
    manager_client.post(reverse("wagtailadmin_pages:unpublish", args=(theirs.pk,)))
    theirs.refresh_from_db()
    assert theirs.title == "Their challenge"
    assert theirs.live
    assert not theirs.has_unpublished_changes


@pytest.mark.django_db
def test_manager_cannot_attribute_a_challenge_to_another_sponsor(manager_client, sponsor_index, council):
    other_sponsor, _ = council
    response = manager_client.post(add_url(sponsor_index), form_for(other_sponsor, **PUBLISH))
    assert response.status_code == 200
    assert "sponsor" in response.context["form"].errors
    assert not ChallengePage.objects.filter(slug="living-well").exists()


@pytest.mark.django_db
def test_manager_cannot_add_pages_to_the_shared_listing(manager_client, listing, sponsor):
    assert manager_client.get(add_url(listing)).status_code in (302, 403)
    manager_client.post(add_url(listing), form_for(sponsor, **PUBLISH))
    assert not ChallengePage.objects.filter(slug="living-well").exists()


@pytest.mark.django_db
def test_group_setup_is_repeatable_and_scoped_to_one_section(sponsor_index, sponsor):
    first = sponsor_grant_manager_access(sponsor=sponsor)
    again = sponsor_grant_manager_access(sponsor=sponsor)
    assert first.pk == again.pk
    assert first.name == manager_group_name(sponsor) == "West Midlands Combined Authority challenge managers"
    assert {p.page_id for p in first.page_permissions.all()} == {sponsor_index.pk}
    assert first.page_permissions.count() == 3
    assert {p.collection.name for p in first.collection_permissions.all()} == {sponsor.name}


@pytest.mark.django_db
def test_setup_command_creates_a_group_per_sponsor_section(sponsor_index, council):
    from io import StringIO

    from django.contrib.auth.models import Group
    from django.core.management import call_command

    out = StringIO()
    call_command("setup_sponsor_groups", stdout=out)
    call_command("setup_sponsor_groups", stdout=out)
    assert set(Group.objects.filter(name__endswith="challenge managers").values_list("name", flat=True)) == {
        "West Midlands Combined Authority challenge managers",
        "Brindleford City Council challenge managers",
    }
    assert "Brindleford City Council challenge managers: manages /home/challenges/brindleford/" in out.getvalue()
