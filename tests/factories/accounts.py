import time

import factory
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.utils import decrypt
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from accounts.models import User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A user who signs in with ``PASSWORD``.

    ``UserFactory(verified=True)`` also confirms their email address (allauth's ``EmailAddress``), which
    signing in through allauth needs; ``UserFactory(two_factor=True)`` sets up an authenticator app, which
    staff and judges need before the admin or the judging pages open (codes from ``totp_code_for``).
    """

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted:
            verify_email(self)

    @factory.post_generation
    def two_factor(self, create, extracted, **kwargs):
        if create and extracted:
            enable_two_factor(self)


def verify_email(user: User) -> EmailAddress:
    """Mark the user's email address confirmed and primary, as finishing sign-up does."""
    address, _ = EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return address


def enable_two_factor(user: User, *, secret: str | None = None) -> Authenticator:
    """Give the user an authenticator app (allauth's TOTP), as the set-up page does."""
    return TOTP.activate(user, secret or generate_totp_secret()).instance


def totp_code_for(user: User, *, at: float | None = None) -> str:
    """The code the user's authenticator app shows now (or at the Unix time ``at``), by allauth's own maths."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    counter = int(time.time() if at is None else at) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def sign_in(client, user: User, *, password: str = PASSWORD, code: str | None = None) -> None:
    """Sign in through allauth's pages as a person does: password, then the app's code if they have one.

    The user needs ``verified=True``. allauth rate-limits sign-ins per IP address in the cache: clear the cache
    between tests that use this. Changing two-factor settings also needs ``confirm_it_is_you``.
    """
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    if response.status_code == 302 and response.url == reverse("mfa_authenticate"):
        client.post(response.url, {"code": code or totp_code_for(user)})
    assert SESSION_KEY in client.session, f"{user.email} could not sign in"


def confirm_it_is_you(client, *, password: str = PASSWORD) -> None:
    """Answer allauth's "Confirm it is you" (re-authentication), which it asks before two-factor settings change;
    signing in with ``client.force_login`` or ``sign_in`` alone does not count."""
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, "allauth did not accept the password"
