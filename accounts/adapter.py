from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError

from notifications.services import notify

from .two_factor import two_factor_required

# RFC 5321's limit on a forward path, and the length of every email column.
MAX_EMAIL_LENGTH = 254


class AccountAdapter(DefaultAccountAdapter):
    """allauth's account behaviour, with every email sent through the platform's single ``notify()``."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": "Your email address or password is not correct. Check them and try again.",
        "enter_current_password": "Your current password is not correct.",
        "incorrect_code": "The code is not correct. Check the email we sent you and try again.",
        "incorrect_password": "Your current password is not correct.",
        "rate_limited": "You have tried that too many times. Wait a minute, then try again.",
        "too_many_login_attempts": "You have tried to sign in too many times. Wait 5 minutes, then try again.",
    }

    def clean_email(self, email: str) -> str:
        """Refuse an address longer than the standard allows (and the column holds), rather than cut it short."""
        email = super().clean_email(email)
        if len(email) > MAX_EMAIL_LENGTH:
            raise ValidationError(f"Email address must be {MAX_EMAIL_LENGTH} characters or fewer.")
        return email

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Hand allauth's email (verification codes, password resets, security notices) to ``notify()``.

        The context keeps what allauth's own ``send_mail`` adds, so its templates and ours render the same;
        ``notify()`` renders it at once, so objects such as the request or the user need not be serialisable.
        """
        # allauth may send from an on-commit callback, after its request context has closed.
        request = allauth_context.request or self.request
        full_context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            "site_name": settings.WAGTAIL_SITE_NAME,
            "site_url": settings.WAGTAILADMIN_BASE_URL,
            **context,
        }
        notify(to=email, template=template_prefix, context=full_context)


class MFAAdapter(DefaultMFAAdapter):
    """Keeps two-factor on for the people who must have it, and words its messages for this service."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": (
            "You cannot turn off two-factor authentication because your account can use the admin or judge "
            "proposals. If you have lost your device, sign in with a recovery code or ask a site administrator."
        ),
        "incorrect_code": "The code is not correct. Check your authenticator app and try again.",
        "unverified_email": "You need to confirm your email address before you can set up two-factor authentication.",
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type == Authenticator.Type.TOTP and two_factor_required(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
