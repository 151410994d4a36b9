"""Who manages a challenge. Returns ``(allowed, reason)`` like every permissions module.

Managing follows Wagtail's page permissions: whoever may publish a challenge page screens, assigns, moderates
and decides its proposals. A sponsor's managers hold publish permission only on their own sponsor's section,
so a manager of another sponsor is refused everywhere, and a superuser may manage every challenge.
"""

NOT_A_MANAGER = "Only this challenge's managers can do that."


def can_manage_challenge(user, challenge) -> tuple[bool, str]:
    if not user.is_authenticated or not user.is_active:
        return False, "Sign in as one of this challenge's managers."
    if user.is_superuser:
        return True, ""
    if challenge.permissions_for_user(user).can_publish():
        return True, ""
    return False, NOT_A_MANAGER
