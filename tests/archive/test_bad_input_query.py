"""Bad input in the archive's address found by tests/fuzz: each gets an answer and a plain notice, never a 500."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "notice"),
    [("page", "“x y” is not a page number, so you are seeing page 1."), ("sort", "cannot be sorted by “x y”")],
)
def test_a_nul_byte_in_page_or_sort_is_corrected_not_a_server_error(client, demo_site, name, notice):
    response = client.get(reverse("archive:search"), {"q": "homes", name: "x\x00y"})

    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="homes"' in page
    assert notice in page


def test_a_nul_byte_in_a_facet_value_is_ignored_with_a_notice(client, demo_site):
    response = client.get(reverse("archive:search"), {"theme": "homeless\x00ness", "year": "\x00"})

    assert response.status_code == 200
    assert "theme “homeless ness”" in response.content.decode()


def test_the_winners_gallery_survives_a_nul_byte_page(client, demo_site):
    assert client.get(reverse("archive:winners"), {"page": "\x00"}).status_code == 200
