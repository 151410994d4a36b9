"""Sign-in routes that must win over the Wagtail and Django admin login pages and Wagtail's front-end login
(included before them).

Each would otherwise check a password on their own and skip allauth's email verification,
rate limits and two-factor step.
"""

from urllib.parse import urlencode

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .signup import ConfirmEmailCodeView, signup_restart


def redirect_to_allauth(url_name: str):
    """A view that sends every request, GET or POST, to an allauth page, keeping a safe ``next``."""

    def view(request: HttpRequest) -> HttpResponseRedirect:
        url = reverse(url_name)
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if next_url and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            url = f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"
        return HttpResponseRedirect(url)

    return view


urlpatterns = [
    path("admin/login/", redirect_to_allauth("account_login"), name="admin_sign_in"),
    path("django-admin/login/", redirect_to_allauth("account_login"), name="django_admin_sign_in"),
    path("admin/password_reset/", redirect_to_allauth("account_reset_password"), name="admin_password_reset"),
    # Wagtail's own front-end login (for privacy-restricted pages) is a plain password form too.
    path("_util/login/", redirect_to_allauth("account_login"), name="wagtail_frontend_sign_in"),
    # allauth's code page and a way back to the sign-up form, the same whether or not the address had an account.
    path("account/confirm-email/", ConfirmEmailCodeView.as_view(), name="account_email_verification_sent"),
    path("account/signup/again/", signup_restart, name="account_signup_restart"),
]
