from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from .two_factor import RETURN_PATH_SESSION_KEY, has_two_factor, two_factor_required

# Each protected area and what the message calls it.
PROTECTED_AREAS = {
    "/admin/": "the admin",
    "/django-admin/": "the admin",
    "/judging/": "the judging pages",
}
# The admin sites' own sign-in (which hands over to allauth) and sign-out must always work.
ALWAYS_ALLOWED = frozenset({"/admin/login/", "/admin/logout/", "/django-admin/login/", "/django-admin/logout/"})


class TwoFactorRequiredMiddleware:
    """Sends staff and judges without an authenticator app to set one up before the admin or judging pages.

    Signing in already asks for the code of anyone who has one (allauth's login stage); this closes the other
    gap, a privileged account that never set one up. Everything else, including allauth's account and
    two-factor pages, is left alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        area = self._protected_area(request.path)
        if area and two_factor_required(request.user):
            if not has_two_factor(request.user):
                return self._redirect_to_setup(request, area)
            request.session.pop(RETURN_PATH_SESSION_KEY, None)
        return self.get_response(request)

    @staticmethod
    def _protected_area(path: str) -> str | None:
        if path in ALWAYS_ALLOWED:
            return None
        return next((name for prefix, name in PROTECTED_AREAS.items() if path.startswith(prefix)), None)

    @staticmethod
    def _redirect_to_setup(request: HttpRequest, area: str) -> HttpResponse:
        if request.method == "GET":
            request.session[RETURN_PATH_SESSION_KEY] = request.get_full_path()
        messages.info(request, f"You need to set up two-factor authentication before you can use {area}.")
        return HttpResponseRedirect(reverse("mfa_activate_totp"))
