"""The signed token in an invitation link.

The token carries only the invitation's id, signed with the site's secret and a salt of its own, so a
link cannot be forged or re-pointed at another invitation, and a token minted for anything else in the
project is useless here. Expiry, revocation and acceptance live on the Invitation row rather than in
the token, so re-sending an invitation extends the same link and revoking it stops the link at once.
"""

from django.core import signing

from .models import Invitation

SALT = "accounts.invitation"


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=SALT)


def invitation_id_from_token(token: str) -> int | None:
    """The invitation id the token was signed for, or None for a damaged or forged token."""
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
