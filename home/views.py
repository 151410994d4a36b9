"""The files every site is asked for at its root: ``/robots.txt`` and ``/favicon.ico``."""

import io
from functools import cache

from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from PIL import Image, ImageDraw

# Private and personal pages: nothing a search engine should list. The public pages, the archive, the winners
# and the open data are all open to crawlers.
PRIVATE_PREFIXES = ("/admin/", "/django-admin/", "/account/", "/organisations/", "/proposals/", "/questions/",
                    "/judging/", "/pilots/")  # fmt: skip

# The brand mark of frontend/images/favicon.svg (a 32-unit square): a teal rounded square and three white bars.
TEAL = (0x0D, 0x52, 0x57, 255)
BARS = ((6, 15, 11, 26), (13, 8, 19, 26), (21, 12, 26, 26))
ICON_SIZES = (16, 32, 48)


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {prefix}" for prefix in PRIVATE_PREFIXES), ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@cache
def favicon_bytes() -> bytes:
    """The mark drawn eight times larger and scaled down, so its edges are smooth at every size an ICO file carries."""
    scale = 8
    image = Image.new("RGBA", (32 * scale, 32 * scale), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, 32 * scale - 1, 32 * scale - 1), radius=6 * scale, fill=TEAL)
    for left, top, right, bottom in BARS:
        draw.rectangle((left * scale, top * scale, right * scale - 1, bottom * scale - 1), fill="white")
    out = io.BytesIO()
    image.save(out, format="ICO", sizes=[(size, size) for size in ICON_SIZES])
    return out.getvalue()


@require_GET
@cache_control(max_age=86400, public=True)
def favicon_ico(request) -> HttpResponse:
    return HttpResponse(favicon_bytes(), content_type="image/vnd.microsoft.icon")
