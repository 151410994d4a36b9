"""A sponsor's org-id identifier, which the 360Giving data names the funder by: one stored form, and a clear message
for a value that is not one."""

import pytest
from django.core.exceptions import ValidationError

from challenges.models import Sponsor


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
