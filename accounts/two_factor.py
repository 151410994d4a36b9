"""Who must use two-factor sign-in, and whether they have set it up.

Staff and judges see other people's proposals and scores, so a stolen password alone must not be enough:
they need an authenticator app (allauth's TOTP) before the admin or the judging pages open for them.
"""

from allauth.mfa.models import Authenticator
from django.contrib.auth.base_user import AbstractBaseUser

JUDGES_GROUP_NAME = "Judges"
ADMIN_ACCESS_PERMISSION = "wagtailadmin.access_admin"
# Where the middleware came from, so the pages after setting up two-factor can offer the way back.
RETURN_PATH_SESSION_KEY = "accounts.two_factor.return_path"


def two_factor_required(user: AbstractBaseUser) -> bool:
    """Superusers, staff, anyone who may open the Wagtail admin (challenge managers hold that through their
    sponsor's group, without ``is_staff``) and members of the Judges group."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.is_staff:
        return True
    if user.has_perm(ADMIN_ACCESS_PERMISSION):
        return True
    return user.groups.filter(name=JUDGES_GROUP_NAME).exists()


def has_two_factor(user: AbstractBaseUser) -> bool:
    """Whether the user has an authenticator app set up; recovery codes alone do not count."""
    if not user.is_authenticated:
        return False
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
