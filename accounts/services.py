"""Writes for organisations, memberships and invitations.

Every function re-checks its permission, so a view that forgot to cannot open a hole, and validates
with ``full_clean()`` before saving. Refusals raise ValidationError (bad input, broken invariant) or
PermissionDenied (wrong person), each with a message written for the person who will read it.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from core.formatting import format_moment
from notifications.services import notify

from .models import FormerMembership, Invitation, Membership, Organisation, User
from .permissions import can_accept_invitation, can_manage_organisation, require
from .ratelimits import Limit
from .selectors import invitation_unavailable_reason
from .signals import member_joined
from .tokens import invitation_token

SLUG_SUFFIX_CHARACTERS = "abcdefghjkmnpqrstuvwxyz23456789"


class InvitationUnavailable(ValidationError):
    """The invitation was revoked, has expired or was already used: nobody can accept it now."""


def _new_slug(name: str) -> str:
    """The name plus a random suffix.

    A bare name would collide ("acme-2"), and the collision would tell the second Acme that the first
    exists; the suffix also stops outsiders guessing a profile's address from a company's name.
    """
    base = slugify(name)[:200].strip("-") or "organisation"
    while True:
        slug = f"{base}-{get_random_string(6, SLUG_SUFFIX_CHARACTERS)}"
        if not Organisation.objects.filter(slug=slug).exists():
            return slug


@transaction.atomic
def organisation_create(
    *,
    by: User,
    name: str,
    size: str,
    sector: str,
    region: str,
    companies_house_number: str | None = None,
    website: str = "",
) -> Organisation:
    """Register an organisation with its creator as the first owner."""
    organisation = Organisation(
        name=name,
        slug=_new_slug(name),
        companies_house_number=companies_house_number or None,
        size=size,
        sector=sector,
        region=region,
        website=website,
    )
    organisation.full_clean()
    organisation.save()
    membership = Membership(organisation=organisation, user=by, role=Membership.Role.OWNER)
    membership.full_clean()
    membership.save()
    return organisation


def organisation_update(
    *,
    organisation: Organisation,
    by: User,
    name: str,
    size: str,
    sector: str,
    region: str,
    companies_house_number: str | None = None,
    website: str = "",
) -> Organisation:
    """Change the profile. The slug stays as it was, so bookmarked links keep working after a rename."""
    require(can_manage_organisation(by, organisation))
    organisation.name = name
    organisation.companies_house_number = companies_house_number or None
    organisation.size = size
    organisation.sector = sector
    organisation.region = region
    organisation.website = website
    organisation.full_clean()
    organisation.save()
    return organisation


def _is_member_email(organisation: Organisation, email: str) -> bool:
    return (
        Membership.objects.filter(organisation=organisation)
        .filter(
            Q(user__email__iexact=email) | Q(user__emailaddress__email__iexact=email, user__emailaddress__verified=True)
        )
        .exists()
    )


@transaction.atomic
def invitation_create(*, organisation: Organisation, email: str, role: str, by: User) -> Invitation:
    """Invite someone by email, or re-send the open invitation they already have.

    Re-sending keeps one row and one link per person: the expiry starts again and the latest role wins.
    """
    require(can_manage_organisation(by, organisation))
    email = email.strip().lower()
    if _is_member_email(organisation, email):
        raise ValidationError({"email": f"{email} is already a member of this organisation."})
    limit = Limit("organisation-invitations", settings.INVITATIONS_PER_HOUR, 3600)
    again_at = limit.consume(str(organisation.pk))
    if again_at is not None:
        raise ValidationError(
            {
                "email": f"{organisation.name} has sent {limit.count} invitations in the last hour, the most we "
                f"allow. You can send another from {format_moment(again_at)}."
            }
        )
    invitation = (
        Invitation.objects.open().select_for_update().filter(organisation=organisation, email__iexact=email).first()
    ) or Invitation(organisation=organisation, email=email)
    invitation.role = role
    invitation.prepare_to_send(by=by)
    invitation.full_clean()
    invitation.save()
    _send_invitation(invitation)
    return invitation


def _send_invitation(invitation: Invitation) -> None:
    """Queue the email. Everything in the context is a string, so the task can render it in a worker."""
    path = reverse("accounts:invitation_accept", kwargs={"token": invitation_token(invitation)})
    notify(
        to=invitation.email,
        template="accounts/email/invitation",
        context={
            "organisation_name": invitation.organisation.name,
            "inviter_name": str(invitation.invited_by),
            "inviter_email": invitation.invited_by.email,
            "role": invitation.get_role_display().lower(),
            "email": invitation.email,
            "accept_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path,
            "expires": format_moment(invitation.expires_at),
        },
        key=f"invitation:{invitation.pk}:{invitation.sent_count}",
        reply_to=invitation.invited_by.email,
    )


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User) -> Invitation:
    """Withdraw an invitation so its link stops working. Revoking twice changes nothing.

    The row is re-read under a lock, so an acceptance happening at the same moment is seen, not overwritten.
    """
    require(can_manage_organisation(by, invitation.organisation))
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(f"{invitation.email} has already accepted this invitation.")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.full_clean()
        invitation.save()
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Join the organisation as the invitation's role.

    Accepting again (a double click, an old tab) returns the membership the first acceptance made,
    so long as that membership still exists: the link cannot undo an owner's later removal.
    """
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    if invitation.accepted_at is not None and invitation.accepted_by_id == user.pk:
        membership = Membership.objects.filter(organisation=invitation.organisation, user=user).first()
        if membership is not None:
            return membership
    reason = invitation_unavailable_reason(invitation=invitation)
    if reason:
        raise InvitationUnavailable(reason)
    require(can_accept_invitation(user, invitation))

    membership = Membership.objects.filter(organisation=invitation.organisation, user=user).first()
    if membership is None:
        membership = Membership(organisation=invitation.organisation, user=user, role=invitation.role)
    elif invitation.role == Membership.Role.OWNER:
        membership.role = Membership.Role.OWNER
    joined = membership._state.adding
    membership.full_clean()
    membership.save()
    if joined:
        member_joined.send(sender=Membership, membership=membership)

    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.full_clean()
    invitation.save()
    return membership


def _ensure_another_owner(membership: Membership, message: str) -> None:
    """Lock the owners' rows so two owners removing each other at once cannot leave none."""
    if not membership.is_owner:
        return
    owners = Membership.objects.select_for_update().filter(
        organisation=membership.organisation, role=Membership.Role.OWNER
    )
    if len(owners) <= 1:
        raise ValidationError(message)


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    """An owner takes someone out of the organisation. The last owner cannot be removed."""
    require(can_manage_organisation(by, membership.organisation))
    _ensure_another_owner(
        membership,
        f"You cannot remove {membership.user} because they are the only owner. "
        "An organisation must always have an owner: invite another owner first.",
    )
    _end(membership)


@transaction.atomic
def membership_leave(*, membership: Membership, by: User) -> None:
    """A person leaves an organisation. The last owner must hand over before leaving."""
    if membership.user_id != by.pk:
        raise PermissionDenied("You can only leave an organisation yourself.")
    _ensure_another_owner(
        membership,
        f"You are the only owner of {membership.organisation}. "
        "Invite another owner before you leave, so someone can still manage it.",
    )
    _end(membership)


def _end(membership: Membership) -> None:
    """Delete the membership, keeping the record that it was (see ``FormerMembership``)."""
    FormerMembership.objects.create(
        organisation=membership.organisation, user=membership.user, role=membership.role, joined_at=membership.joined_at
    )
    membership.delete()
