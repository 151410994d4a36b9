"""The largest request the site reads: a bigger one is refused from its Content-Length, before a byte of its body
is read or written to a temporary file. The proxy in front should refuse it first (README, deployment)."""

from django.conf import settings
from django.shortcuts import render


class RequestBodyLimitMiddleware:
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
        return self.get_response(request)
