"""How judging reacts to what happens below it."""

from django.dispatch import receiver

from accounts.signals import member_joined
from judging.services.conflicts import assignments_withdraw_for_new_member


@receiver(member_joined, dispatch_uid="judging.withdraw_assignments_of_new_member")
def withdraw_assignments_of_new_member(sender, membership, **kwargs) -> None:
    assignments_withdraw_for_new_member(membership=membership)
