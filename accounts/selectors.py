"""Reads for the organisation pages. Each runs a fixed number of queries, however many rows there are."""

from django.db.models import Case, Count, IntegerField, OuterRef, Subquery, Value, When
from django.utils import timezone

from core.formatting import format_moment

from .models import FormerMembership, Invitation, Membership, Organisation
from .tokens import invitation_id_from_token


def organisations_for(*, user) -> list[Organisation]:
    """The user's organisations by name, each with ``role`` (a Membership.Role) and ``member_count``."""
    role = Membership.objects.filter(organisation=OuterRef("pk"), user=user).values("role")[:1]
    organisations = list(
        Organisation.objects.filter(pk__in=Membership.objects.filter(user=user).values("organisation"))
        .annotate(role=Subquery(role), member_count=Count("memberships"))
        .order_by("name", "pk")
    )
    for organisation in organisations:
        organisation.role = Membership.Role(organisation.role)
    return organisations


def membership_for(organisation: Organisation, user) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(organisation=organisation, user=user).first()


def organisation_members(*, organisation: Organisation):
    """Owners first, then members, each group in the order they joined."""
    owners_first = Case(When(role=Membership.Role.OWNER, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by(owners_first, "joined_at", "pk")
    )


def organisation_open_invitations(*, organisation: Organisation):
    """Invitations not yet accepted or revoked, expired ones included so an owner can see to re-send them."""
    return Invitation.objects.open().filter(organisation=organisation).select_related("invited_by").order_by("email")


def organisation_page(*, organisation: Organisation, user) -> dict:
    """What the profile page shows: the members, the viewer's own membership and, for owners, open invitations."""
    members = list(organisation_members(organisation=organisation))
    viewer = next((membership for membership in members if membership.user_id == user.pk), None)
    is_owner = viewer is not None and viewer.is_owner
    invitations = list(organisation_open_invitations(organisation=organisation)) if is_owner else []
    return {
        "organisation": organisation,
        "members": members,
        "viewer_membership": viewer,
        "is_owner": is_owner,
        "owner_count": sum(1 for membership in members if membership.is_owner),
        "invitations": invitations,
    }


def invitation_from_token(token: str) -> Invitation | None:
    """The invitation a link points at, or None when the token was tampered with or the row is gone."""
    invitation_id = invitation_id_from_token(token)
    if invitation_id is None:
        return None
    return Invitation.objects.select_related("organisation", "invited_by").filter(pk=invitation_id).first()


def invitation_unavailable_reason(*, invitation: Invitation, now=None) -> str:
    """Why the invitation can no longer be accepted, or "" while it still can."""
    now = now or timezone.now()
    inviter = invitation.invited_by or "an owner"
    if invitation.revoked_at is not None:
        return f"This invitation has been withdrawn. Ask {inviter} if you still need to join."
    if invitation.accepted_at is not None:
        return "This invitation has already been used."
    if invitation.expires_at <= now:
        return f"This invitation expired at {format_moment(invitation.expires_at)}. Ask {inviter} to send a new one."
    return ""


def members_since(*, user_ids, organisation_ids) -> dict[tuple[int, int], object]:
    """For each (organisation id, user id) pair that is or was a membership, when it ended (None while it lasts).

    Of several former memberships of the same pair, the latest end counts.
    """
    pairs: dict[tuple[int, int], object] = {}
    former = FormerMembership.objects.filter(user_id__in=user_ids, organisation_id__in=organisation_ids)
    for organisation_id, user_id, left_at in former.values_list("organisation_id", "user_id", "left_at"):
        previous = pairs.get((organisation_id, user_id))
        pairs[(organisation_id, user_id)] = left_at if previous is None else max(previous, left_at)
    current = Membership.objects.filter(user_id__in=user_ids, organisation_id__in=organisation_ids)
    for organisation_id, user_id in current.values_list("organisation_id", "user_id"):
        pairs[(organisation_id, user_id)] = None
    return pairs
