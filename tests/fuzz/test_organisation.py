"""The organisation forms, through their real pages: creating an organisation, inviting someone to it, and the
invitation link itself (whose token is whatever the address holds).

A valid organisation is stored as typed (surrounding whitespace stripped; the Companies House number in its
documented normal form, upper case without spaces; the website as Django's URL field normalises it, https
assumed); anything else comes back with every typed value shown again and each error linked from the summary.
"""

import pytest
from django import forms
from django.urls import reverse
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import Invitation, Organisation
from tests.factories import UserFactory
from tests.factories.organisations import make_organisation
from tests.fuzz.conftest import FUZZ, around, html, rolled_back, summary_links, text

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

SIZES = [value for value, _ in Organisation.Size.choices]
SECTORS = [value for value, _ in Organisation.Sector.choices]
REGIONS = [value for value, _ in Organisation.Region.choices]


def choice(values: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(values), st.sampled_from(["", "other\x00", values[0].upper()]), text(12))


ORGANISATIONS = st.fixed_dictionaries(
    {
        "name": st.one_of(text(60), around(200), around(200, "\u00e9"), st.just("Brumtech Ltd")),
        "companies_house_number": st.one_of(
            st.sampled_from(["", "01234567", "sc 123 456", "SC123456", "AB123456", "0123456", "012345678"]),
            text(12),
        ),
        "size": choice(SIZES),
        "sector": choice(SECTORS),
        "region": choice(REGIONS),
        "website": st.one_of(
            st.sampled_from(["", "example.org", "https://www.example.org", "javascript:alert(1)", "http://[::1"]),
            st.just("https://example.org/").map(lambda url: url + "a" * 190),
            text(40),
        ),
    }
)


@pytest.fixture
def supplier(client, db):
    user = UserFactory(email="owner@supplier.example")
    client.force_login(user)
    return user


def assert_reshown_with_errors(response, data: dict) -> None:
    page = html(response)
    links = summary_links(response)
    assert links, "no error summary"
    for anchor in links:
        assert f'id="{anchor}"' in page, anchor
    for name in ("name", "companies_house_number", "website", "email"):
        if data.get(name):
            assert f'value="{escape(data[name])}"' in page, (name, data[name])


@FUZZ
@given(data=ORGANISATIONS)
def test_an_organisation_is_created_as_typed_or_shown_again_with_errors(client, supplier, data):
    with rolled_back():
        response = client.post(reverse("accounts:organisation_create"), data)

        assert response.status_code in (200, 302, 400), response.status_code
        if response.status_code == 302:
            organisation = Organisation.objects.get()
            assert organisation.name == data["name"].strip()
            assert (organisation.size, organisation.sector, organisation.region) == (
                data["size"],
                data["sector"],
                data["region"],
            )
            number = "".join(data["companies_house_number"].split()).upper()
            assert organisation.companies_house_number == (number or None)
            website = forms.URLField(assume_scheme="https", required=False).clean(data["website"])
            assert organisation.website == website
            return
        assert not Organisation.objects.exists()
        assert_reshown_with_errors(response, data)


@FUZZ
@given(
    email=st.one_of(st.emails(), text(40), around(254, "a"), st.sampled_from(["", "x@y.z\x00", " ADA@Example.COM "])),
    role=choice(["owner", "member"]),
)
def test_an_invitation_is_sent_to_the_email_typed_or_shown_again(client, supplier, email, role):
    organisation = Organisation.objects.first() or make_organisation(owner=supplier)
    with rolled_back():
        response = client.post(
            reverse("accounts:organisation_invite", args=[organisation.slug]), {"email": email, "role": role}
        )

        assert response.status_code in (200, 302, 400), response.status_code
        if response.status_code == 302:
            invitation = Invitation.objects.get()
            assert (invitation.email, invitation.role) == (email.strip().lower(), role)
            return
        assert not Invitation.objects.exists()
        assert_reshown_with_errors(response, {"email": email})


TOKENS = st.one_of(
    text(40).filter(lambda t: "/" not in t and t not in ("", ".", "..")),
    st.text(st.characters(codec="ascii", categories=["L", "N"]), min_size=1, max_size=300),
    st.sampled_from(["1:abc:def", "MQ:1tXyz:abc", "0" * 500, "%00", "..%2F"]),
)


@FUZZ
@given(token=TOKENS, method=st.sampled_from(["get", "post"]))
def test_a_garbage_invitation_link_is_a_clear_not_found(client, supplier, token, method):
    from urllib.parse import quote

    response = getattr(client, method)(f"/organisations/invitations/{quote(token, safe='')}/")

    assert response.status_code == 404
    assert "This invitation link is not valid" in html(response)
