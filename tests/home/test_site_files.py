"""The two files every visitor's browser and every crawler ask a site for."""

import io

import pytest
from PIL import Image

pytestmark = pytest.mark.django_db


def test_robots_txt_keeps_private_pages_out_of_search_engines_but_never_the_archive(client, demo_site):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    rules = response.content.decode().splitlines()
    assert rules[0] == "User-agent: *"
    disallowed = [line.split(":", 1)[1].strip() for line in rules if line.startswith("Disallow:")]
    assert {"/admin/", "/account/", "/proposals/", "/judging/"} <= set(disallowed)
    public = ["/", "/archive/", "/archive/winners/", "/data/", "/api/v1/challenges/", demo_site.challenge.url]
    for url in public:
        assert not any(url.startswith(prefix) for prefix in disallowed if prefix), url


def test_favicon_ico_is_the_sites_own_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert "max-age=86400" in response["Cache-Control"]
    icon = Image.open(io.BytesIO(response.content))
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32), (48, 48)} <= set(icon.info["sizes"])
    icon.size = (32, 32)
    pixels = icon.convert("RGBA")
    assert pixels.getpixel((16, 4))[:3] == (0x0D, 0x52, 0x57)  # the teal square
    assert min(pixels.getpixel((16, 20))[:3]) > 250  # the middle bar, white
