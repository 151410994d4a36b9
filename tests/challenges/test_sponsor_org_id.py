"""A sponsor's org-id identifier, which the 360Giving data names the funder by: one stored form, and a clear message
for a value that is not one."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from challenges.identifiers import ORG_ID_MESSAGE
from challenges.models import Sponsor
from tests.factories.accounts import UserFactory


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("GB-LAE-BIR", "GB-LAE-BIR"),
        ("gb-ca-WMCA", "GB-CA-WMCA"),
        ("gb-lae-bir", "GB-LAE-bir"),
        (" GB-COH-0123 4567 ", "GB-COH-01234567"),
        ("", ""),
    ],
)
def test_a_sponsor_org_id_is_kept_in_one_form(db, given, stored):
    sponsor = Sponsor(name="Birmingham City Council", slug="birmingham", org_id=given)
    sponsor.full_clean()
    assert sponsor.org_id == stored


@pytest.mark.parametrize("given", ["BIR", "GB-LAE", "GBR-LAE-BIR", "GB LAE BIR", "360G-x-1", "GB--BIR"])
def test_a_malformed_sponsor_org_id_gets_a_clear_message(db, given):
    sponsor = Sponsor(name="Birmingham City Council", slug="birmingham", org_id=given)
    with pytest.raises(ValidationError) as error:
        sponsor.full_clean()
    assert error.value.message_dict["org_id"] == [
        "Enter an org-id identifier in the correct format: the list code and then the organisation's identifier "
        "on that list, separated by hyphens, like GB-LAE-BIR or GB-COH-01234567"
    ]


def test_a_site_administrator_sets_it_in_the_sponsor_panels(client, sponsor):
    admin = UserFactory(is_staff=True, is_superuser=True, verified=True, two_factor=True)
    client.force_login(admin)
    url = reverse("wagtailsnippets_challenges_sponsor:edit", args=(sponsor.pk,))
    form = client.get(url)
    assert form.status_code == 200
    assert "The funder&#x27;s identifier from org-id.guide" in form.content.decode()
    fields = {"name": sponsor.name, "slug": sponsor.slug, "kind": sponsor.kind, "description": "", "website": ""}
    refused = client.post(url, {**fields, "org_id": "Birmingham"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["org_id"] == [ORG_ID_MESSAGE]
    client.post(url, {**fields, "org_id": "gb-lae-BIR"})
    sponsor.refresh_from_db()
    assert sponsor.org_id == "GB-LAE-BIR"
