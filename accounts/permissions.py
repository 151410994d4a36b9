"""Who may see and change an organisation. Each returns ``(allowed, reason)``; views check exactly one.

Outsiders get the NOT_A_MEMBER reason, which views turn into a 404: an organisation's name, or even
its existence, is never shown to someone outside it. Members refused an owner's action are told why.
"""

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied

from .models import Invitation, Organisation
from .selectors import membership_for

NOT_A_MEMBER = "You are not a member of this organisation."


def require(allowed_and_reason: tuple[bool, str]) -> None:
    """For services: turn a permission function's ``(allowed, reason)`` into PermissionDenied(reason)."""
    allowed, reason = allowed_and_reason
    if not allowed:
        raise PermissionDenied(reason)


def can_view_organisation(user, organisation: Organisation) -> tuple[bool, str]:
    if membership_for(organisation, user) is None:
        return False, NOT_A_MEMBER
    return True, ""


def can_manage_organisation(user, organisation: Organisation) -> tuple[bool, str]:
    membership = membership_for(organisation, user)
    if membership is None:
        return False, NOT_A_MEMBER
    if not membership.is_owner:
        return False, f"Only owners can do this. Ask an owner of {organisation.name} to do it for you."
    return True, ""


def mask_email(email: str) -> str:
    """Enough of the address for its owner to recognise it, without handing it to whoever holds the link."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def can_accept_invitation(user, invitation: Invitation) -> tuple[bool, str]:
    """Only the person the invitation was emailed to, proven by a verified address on their account.

    A link can be forwarded; the verified address is what shows the account belongs to the invitee.
    """
    if not user.is_authenticated:
        return False, "Sign in to accept this invitation."
    addresses = EmailAddress.objects.filter(user=user, email__iexact=invitation.email)
    if any(address.verified for address in addresses):
        return True, ""
    masked = mask_email(invitation.email)
    if addresses or user.email.lower() == invitation.email.lower():
        return False, f"Confirm your email address {masked} before you accept this invitation."
    return False, f"This invitation was sent to {masked}. Sign in with that address to accept it."
