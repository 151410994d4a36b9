"""How the site reads request bodies, before any view runs.

- The largest request it reads at all: a bigger one is refused from its Content-Length, before a byte of its body
  is read or written to a temporary file. The proxy in front should refuse it first (README, deployment).
- Uploaded file names: Django skips a file part whose name its sanitiser cleans down to nothing (a name made only of
  invisible characters, say) without reading it, and then looks for the next part's headers inside that file, so
  a large enough file fails the whole request as a bare "Bad Request" and every answer on the page is lost. Here
  such a file is kept under the name "file" instead, so the page's checks judge it like any other upload.
"""

from django.conf import settings
from django.http.multipartparser import MultiPartParser
from django.shortcuts import render
from django.utils.datastructures import ImmutableList


class UploadParser(MultiPartParser):
    def sanitize_file_name(self, file_name):
        return super().sanitize_file_name(file_name) or "file"


def _parse_file_upload(request, META, post_data):
    """``HttpRequest.parse_file_upload``, with ``UploadParser``."""
    request.upload_handlers = ImmutableList(
        request.upload_handlers, warning="You cannot alter upload handlers after the upload has been processed."
    )
    return UploadParser(META, post_data, request.upload_handlers, request.encoding).parse()


class RequestBodyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.MAX_REQUEST_BODY_MB * 1024 * 1024
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            context = {"limit_mb": settings.MAX_REQUEST_BODY_MB, "sent_mb": f"{length / 2**20:.0f}"}
            return render(request, "413.html", context, status=413)
        request.parse_file_upload = lambda META, post_data: _parse_file_upload(request, META, post_data)
        return self.get_response(request)
