"""Sign-up that never tells anyone whether an address already has an account.

allauth already answers an existing address with the same "check your email" page (and emails the owner
instead of a code), but two differences remained: a new account's password was hashed (half a second) while an
existing address's was not, and the code page offered "Use a different email address" only for a new account.
Here both paths hash the password, and during sign-up that link starts the sign-up again for both.
"""

import contextlib

from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.internal.flows.email_verification_by_code import (
    EMAIL_VERIFICATION_CODE_SESSION_KEY,
    EmailVerificationProcess,
)
from allauth.account.internal.stagekit import clear_login
from allauth.account.internal.userkit import did_user_login
from allauth.account.models import EmailAddress
from allauth.account.stages import EmailVerificationStage, LoginStageController
from allauth.account.views import ConfirmEmailVerificationCodeView
from django.contrib.auth.hashers import make_password
from django.db.models import ProtectedError
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST


class SignupForm(AllauthSignupForm):
    def try_save(self, request):
        if self.account_already_exists:
            # The same work as creating the account, so the response takes as long either way.
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)


def _signing_up(stage) -> bool:
    return bool(stage) and bool(stage.login.signup)


class ConfirmEmailCodeView(ConfirmEmailVerificationCodeView):
    """The code page. While signing up, "Use a different email address" starts the sign-up again rather than
    changing the address in place, which allauth can do only for a new account and so gave existing ones away."""

    @cached_property
    def _action(self):
        action = super()._action
        return "verify" if action == "change" and _signing_up(self.stage) else action

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if _signing_up(self.stage):
            context["can_change"] = False
            context["restart_signup"] = True
        return context


def _unused_new_account(request):
    """The account this sign-up just made, if it was new and nobody has used it: never signed in, never verified."""
    stage = LoginStageController.enter(request, EmailVerificationStage.key)
    process = EmailVerificationProcess.resume(request)
    if not _signing_up(stage) or process is None or process.state.get("account_already_exists"):
        return None
    user = process.user
    if user is None or did_user_login(user) or EmailAddress.objects.filter(user=user, verified=True).exists():
        return None
    return user


@require_POST
def signup_restart(request):
    """Drop the sign-up in progress (and the unused account it made, so the mistyped address stays free) and go
    back to the sign-up form."""
    user = _unused_new_account(request)
    if user is not None:
        with contextlib.suppress(ProtectedError):  # an account that somehow owns records is simply left
            user.delete()
    clear_login(request)
    request.session.pop(EMAIL_VERIFICATION_CODE_SESSION_KEY, None)
    return redirect("account_signup")
