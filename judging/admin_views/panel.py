"""The panel page: who judges this challenge, who has been invited, and every conflict of interest declared.

Staff see every declaration (judges' reasons included): they are the ones who must check that a conflicted
judge never sees the proposal.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.views.generic import TemplateView, View
from wagtail.admin import messages

from core.formatting import format_moment

from ..invitations import panel_invitation_revoke, panel_invite
from ..models import Conflict, PanelInvitation, PanelMember, ReviewStatus
from ..services import panel_remove
from .base import ChallengeManagerMixin, admin_url


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter the email address of the person to invite.",
            "invalid": "Enter an email address in the correct format, like name@example.com.",
        },
    )


def panel_members(challenge):
    """Each seat with the judge, their expertise and their workload on this challenge, in two queries."""
    on_this_challenge = Q(judge__assignments__proposal__challenge=challenge)
    submitted = on_this_challenge & Q(judge__assignments__review__status=ReviewStatus.SUBMITTED)
    return (
        PanelMember.objects.filter(challenge=challenge)
        .select_related("judge")
        .prefetch_related("expertise")
        .annotate(
            assigned=Count("judge__assignments", filter=on_this_challenge, distinct=True),
            submitted=Count("judge__assignments", filter=submitted, distinct=True),
        )
        .order_by("judge__first_name", "judge__last_name", "judge__email")
    )


def panel_conflicts(challenge):
    """Organisation conflicts of this panel's judges, and any conflict with one of this challenge's proposals."""
    judges = PanelMember.objects.filter(challenge=challenge).values("judge_id")
    return (
        Conflict.objects.filter(
            Q(organisation__isnull=False, judge_id__in=judges) | Q(proposal__challenge=challenge),
        )
        .select_related("judge", "organisation", "proposal")
        .order_by("-declared_at", "-pk")
    )


class PanelView(ChallengeManagerMixin, TemplateView):
    """GET shows the panel; POST invites a judge (errors shown on the email field, what was typed kept)."""

    template_name = "judging/admin/panel.html"
    page_title = "Panel"
    tab = "panel"

    def get_context_data(self, form=None, **kwargs):
        members = list(panel_members(self.challenge))
        removing = None
        remove_id = self.request.GET.get("remove", "")
        if remove_id.isdigit():
            removing = next((member for member in members if member.pk == int(remove_id)), None)
        return super().get_context_data(
            form=form or InviteForm(),
            members=members,
            removing=removing,
            invitations=PanelInvitation.objects.open().filter(challenge=self.challenge).order_by("email"),
            conflicts=panel_conflicts(self.challenge),
            invitation_days=settings.INVITATION_EXPIRY_DAYS,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = InviteForm(request.POST)
        if form.is_valid():
            try:
                invitation = panel_invite(challenge=self.challenge, email=form.cleaned_data["email"], by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                again = " again" if invitation.sent_count > 1 else ""
                messages.success(
                    request,
                    f"Invitation sent{again} to {invitation.email}. "
                    f"The link works until {format_moment(invitation.expires_at)}.",
                )
                return redirect(admin_url("panel", self.challenge.pk))
        return self.render_to_response(self.get_context_data(form=form))


class InvitationWithdrawView(ChallengeManagerMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        invitation = get_object_or_404(PanelInvitation, pk=kwargs["invitation_id"], challenge=self.challenge)
        try:
            panel_invitation_revoke(invitation=invitation, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"Invitation to {invitation.email} withdrawn: the link no longer works.")
        return redirect(admin_url("panel", self.challenge.pk))


class PanelRemoveView(ChallengeManagerMixin, View):
    """The panel page asks for confirmation first (``?remove=<seat>``); this makes the change."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        member = get_object_or_404(
            PanelMember.objects.select_related("judge", "challenge"), pk=kwargs["member_id"], challenge=self.challenge
        )
        panel_remove(member=member, by=request.user)
        messages.success(request, f"{member.judge} removed from the panel.")
        return redirect(admin_url("panel", self.challenge.pk))


urlpatterns = [
    path("<int:challenge_id>/panel/", PanelView.as_view(), name="panel"),
    path(
        "<int:challenge_id>/panel/invitations/<int:invitation_id>/withdraw/",
        InvitationWithdrawView.as_view(),
        name="panel_invitation_withdraw",
    ),
    path("<int:challenge_id>/panel/<int:member_id>/remove/", PanelRemoveView.as_view(), name="panel_remove"),
]
