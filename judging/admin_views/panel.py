"""The panel page: who judges this challenge, who has been invited, and every conflict of interest declared."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView, View
from wagtail.admin import messages

from core.formatting import format_moment

from ..forms import InviteForm
from ..selectors.admin_pages import (
    open_panel_invitations,
    panel_conflicts,
    panel_invitation_of,
    panel_member_of,
    panel_members,
)
from ..services.invitations import panel_invitation_revoke, panel_invite
from ..services.panel import panel_remove
from .base import ChallengeManagerMixin, admin_url


class PanelView(ChallengeManagerMixin, TemplateView):
    """GET shows the panel; POST invites a judge (errors shown on the email field, what was typed kept)."""

    template_name = "judging/admin/panel.html"
    page_title = "Panel"
    tab = "panel"

    def get_context_data(self, form=None, **kwargs):
        members = list(panel_members(self.challenge, self.stage))
        removing = None
        remove_id = self.request.GET.get("remove", "")
        if remove_id.isdigit():
            removing = next((member for member in members if member.pk == int(remove_id)), None)
        return super().get_context_data(
            form=form or InviteForm(),
            members=members,
            removing=removing,
            invitations=open_panel_invitations(self.challenge, self.stage),
            conflicts=panel_conflicts(self.challenge),
            invitation_days=settings.INVITATION_EXPIRY_DAYS,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = InviteForm(request.POST)
        if form.is_valid():
            try:
                invitation = panel_invite(
                    challenge=self.challenge, stage=self.stage, email=form.cleaned_data["email"], by=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                again = " again" if invitation.sent_count > 1 else ""
                messages.success(
                    request,
                    f"Invitation sent{again} to {invitation.email}. "
                    f"The link works until {format_moment(invitation.expires_at)}.",
                )
                return redirect(admin_url("panel", self.challenge.pk) + self.stage_query)
        return self.render_to_response(self.get_context_data(form=form))


class InvitationWithdrawView(ChallengeManagerMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        invitation = panel_invitation_of(self.challenge, kwargs["invitation_id"])
        if invitation is None:
            raise Http404("No such invitation.")
        try:
            panel_invitation_revoke(invitation=invitation, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"Invitation to {invitation.email} withdrawn: the link no longer works.")
        return redirect(admin_url("panel", self.challenge.pk) + self.stage_query)


class PanelRemoveView(ChallengeManagerMixin, View):
    """The panel page asks for confirmation first (``?remove=<seat>``); this makes the change."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        member = panel_member_of(self.challenge, kwargs["member_id"])
        if member is None:
            raise Http404("No such judge on this panel.")
        panel_remove(member=member, by=request.user)
        messages.success(request, f"{member.judge} removed from the panel.")
        return redirect(admin_url("panel", self.challenge.pk) + self.stage_query)
