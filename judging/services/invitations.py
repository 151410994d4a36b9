"""Inviting judges to a challenge's panel by email, with a signed, expiring link.

The token carries only the invitation's id, signed with its own salt; expiry, revocation and acceptance
live on the row, so re-sending extends the same link and revoking stops it at once (as for organisations).
Accepting puts the judge on the panel and in the Judges group, which makes two-factor sign-in compulsory
before any judging page, and so any proposal, opens for them.
"""

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import require
from accounts.selectors import invitation_unavailable_reason
from audit.services import event_record
from core.formatting import format_moment
from notifications.services import notify

from ..models import PanelInvitation, PanelMember
from ..permissions import can_accept_panel_invitation, can_manage
from .panel import panel_add

SALT = "judging.panel_invitation"


class InvitationUnavailable(ValidationError):
    pass


def panel_invitation_token(invitation: PanelInvitation) -> str:
    return signing.dumps(invitation.pk, salt=SALT)


def panel_invitation_from_token(token: str) -> PanelInvitation | None:
    """The invitation a link points at, or None for a damaged or forged token or a deleted row."""
    try:
        invitation_id = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(invitation_id, int):
        return None
    return PanelInvitation.objects.select_related("challenge", "invited_by").filter(pk=invitation_id).first()


@transaction.atomic
def panel_invite(*, challenge, email: str, by, stage=None) -> PanelInvitation:
    """Invite someone to judge a stage (the first, unless told), or re-send the open invitation they already have
    with a fresh expiry."""
    require(can_manage(by, challenge))
    stage = stage or challenge.first_stage
    email = email.strip().lower()
    if PanelMember.objects.filter(stage=stage, judge__email__iexact=email).exists():
        raise ValidationError({"email": f"{email} is already on this panel."})
    invitation = (
        PanelInvitation.objects.open().select_for_update().filter(stage=stage, email__iexact=email).first()
    ) or PanelInvitation(challenge=challenge, stage=stage, email=email)
    invitation.prepare_to_send(by=by)
    invitation.full_clean()
    invitation.save()
    event_record(actor=by, verb="judge invited", challenge=challenge, subject=email)
    path = reverse("judging:invitation_accept", kwargs={"token": panel_invitation_token(invitation)})
    notify(
        to=email,
        template="judging/email/panel_invitation",
        context={
            "challenge": challenge.title,
            "stage": stage.name if len(challenge.stage_list) > 1 else "",
            "inviter_name": str(by),
            "inviter_email": by.email,
            "email": email,
            "accept_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path,
            "expires": format_moment(invitation.expires_at),
            "judging_ends": format_moment(challenge.judging_ends_at) if challenge.judging_ends_at else "",
        },
        key=f"panel-invitation:{invitation.pk}:{invitation.sent_count}",
        reply_to=by.email,
    )
    return invitation


@transaction.atomic
def panel_invitation_revoke(*, invitation: PanelInvitation, by) -> PanelInvitation:
    invitation = PanelInvitation.objects.select_for_update().select_related("challenge").get(pk=invitation.pk)
    require(can_manage(by, invitation.challenge))
    if invitation.accepted_at is not None:
        raise ValidationError(f"{invitation.email} has already accepted this invitation.")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        event_record(actor=by, verb="invitation withdrawn", challenge=invitation.challenge, subject=invitation.email)
    return invitation


@transaction.atomic
def panel_invitation_accept(*, invitation: PanelInvitation, user) -> PanelMember:
    """Join the panel. Accepting again (a double click, an old tab) returns the seat the first acceptance made."""
    invitation = PanelInvitation.objects.select_for_update().select_related("challenge", "stage").get(pk=invitation.pk)
    seat = PanelMember.objects.filter(stage_id=invitation.stage_id, judge=user).first()
    if invitation.accepted_by_id == user.pk and seat is not None:
        return seat
    reason = invitation_unavailable_reason(invitation=invitation)
    if reason:
        raise InvitationUnavailable(reason)
    require(can_accept_panel_invitation(user, invitation))
    seat = panel_add(challenge=invitation.challenge, stage=invitation.stage, judge=user, by=user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return seat
