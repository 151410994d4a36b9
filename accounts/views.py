"""The organisation pages. Each view parses input, checks one permission, calls one service and renders.

Outsiders get a 404 for every page under an organisation's address, whether or not it exists, so the
pages never confirm an organisation's name or existence to someone outside it.
"""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import add_service_errors

from . import selectors, services
from .forms import InvitationForm, OrganisationForm
from .models import Invitation, Membership, Organisation
from .permissions import NOT_A_MEMBER, can_accept_invitation, can_manage_organisation, can_view_organisation

GET_AND_POST = require_http_methods(["GET", "POST"])


def _refused(request, reason: str):
    """A 404 for outsiders; members refused an owner's action see why, on a page of our own."""
    if reason == NOT_A_MEMBER:
        raise Http404("No organisation here.")
    return render(request, "accounts/forbidden.html", {"reason": reason}, status=403)


def _checked_organisation(request, slug: str, permission):
    """The organisation at ``slug`` and, if ``permission`` refuses this user, the response that says so."""
    organisation = get_object_or_404(Organisation, slug=slug)
    allowed, reason = permission(request.user, organisation)
    return organisation, (None if allowed else _refused(request, reason))


def _form_values(form) -> dict:
    return {name: form.cleaned_data[name] for name in form.fields}


@login_required
@require_GET
def organisation_list(request):
    organisations = selectors.organisations_for(user=request.user)
    return render(request, "accounts/organisation_list.html", {"organisations": organisations})


@login_required
@GET_AND_POST
def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(by=request.user, **_form_values(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{organisation.name} has been created. You are its owner.")
            # Sent here from "Start a proposal": go back there, now able to start.
            next_url = request.GET.get("next", "")
            if url_has_allowed_host_and_scheme(
                next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                return redirect(next_url)
            return redirect("accounts:organisation_detail", slug=organisation.slug)
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": None})


@login_required
@require_GET
def organisation_detail(request, slug):
    organisation, refusal = _checked_organisation(request, slug, can_view_organisation)
    if refusal:
        return refusal
    context = selectors.organisation_page(organisation=organisation, user=request.user)
    return render(request, "accounts/organisation_detail.html", context)


@login_required
@GET_AND_POST
def organisation_edit(request, slug):
    organisation, refusal = _checked_organisation(request, slug, can_manage_organisation)
    if refusal:
        return refusal
    # The form validates a copy, so a rejected name never shows up in the page's own heading.
    form = OrganisationForm(request.POST or None, instance=copy.copy(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(organisation=organisation, by=request.user, **_form_values(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Organisation details updated.")
            return redirect("accounts:organisation_detail", slug=organisation.slug)
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": organisation})


@login_required
@GET_AND_POST
def organisation_invite(request, slug):
    organisation, refusal = _checked_organisation(request, slug, can_manage_organisation)
    if refusal:
        return refusal
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(organisation=organisation, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            again = " again" if invitation.sent_count > 1 else ""
            messages.success(request, f"We've sent the invitation to {invitation.email}{again}.")
            return redirect("accounts:organisation_detail", slug=organisation.slug)
    return render(request, "accounts/invitation_form.html", {"form": form, "organisation": organisation})


@login_required
@GET_AND_POST
def invitation_revoke(request, slug, pk):
    organisation, refusal = _checked_organisation(request, slug, can_manage_organisation)
    if refusal:
        return refusal
    invitation = get_object_or_404(Invitation.objects.open(), pk=pk, organisation=organisation)
    if request.method == "POST":
        services.invitation_revoke(invitation=invitation, by=request.user)
        messages.success(request, f"The invitation to {invitation.email} has been withdrawn.")
        return redirect("accounts:organisation_detail", slug=organisation.slug)
    return render(request, "accounts/invitation_revoke.html", {"organisation": organisation, "invitation": invitation})


@login_required
@GET_AND_POST
def membership_remove(request, slug, pk):
    organisation, refusal = _checked_organisation(request, slug, can_manage_organisation)
    if refusal:
        return refusal
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk, organisation=organisation)
    error = ""
    if request.method == "POST":
        try:
            services.membership_remove(membership=membership, by=request.user)
        except ValidationError as refusal:
            error = refusal.messages[0]
        else:
            if membership.user_id == request.user.pk:
                messages.success(request, f"You have left {organisation.name}.")
                return redirect("accounts:organisation_list")
            messages.success(request, f"{membership.user} has been removed from {organisation.name}.")
            return redirect("accounts:organisation_detail", slug=organisation.slug)
    context = {"organisation": organisation, "membership": membership, "error": error}
    return render(request, "accounts/membership_remove.html", context, status=200)


@login_required
@GET_AND_POST
def membership_leave(request, slug):
    organisation, refusal = _checked_organisation(request, slug, can_view_organisation)
    if refusal:
        return refusal
    membership = get_object_or_404(Membership, organisation=organisation, user=request.user)
    error = ""
    if request.method == "POST":
        try:
            services.membership_leave(membership=membership, by=request.user)
        except ValidationError as refusal:
            error = refusal.messages[0]
        else:
            messages.success(request, f"You have left {organisation.name}.")
            return redirect("accounts:organisation_list")
    context = {"organisation": organisation, "membership": membership, "error": error}
    return render(request, "accounts/membership_leave.html", context, status=200)


def _invitation_unavailable(request, message: str, status: int):
    return render(request, "accounts/invitation_unavailable.html", {"message": message}, status=status)


@login_required
@GET_AND_POST
def invitation_accept(request, token):
    invitation = selectors.invitation_from_token(token)
    if invitation is None:
        message = "This invitation link is not valid. Check you copied the whole link from the email."
        return _invitation_unavailable(request, message, status=404)
    organisation = invitation.organisation
    if invitation.accepted_by_id == request.user.pk and selectors.membership_for(organisation, request.user):
        messages.info(request, f"You're already a member of {organisation.name}.")
        return redirect("accounts:organisation_detail", slug=organisation.slug)
    unavailable = selectors.invitation_unavailable_reason(invitation=invitation)
    if unavailable:
        return _invitation_unavailable(request, unavailable, status=410)

    allowed, reason = can_accept_invitation(request.user, invitation)
    if allowed and request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except services.InvitationUnavailable as error:
            return _invitation_unavailable(request, error.messages[0], status=410)
        except PermissionDenied as error:
            allowed, reason = False, str(error)
        else:
            messages.success(request, f"You've joined {organisation.name}.")
            return redirect("accounts:organisation_detail", slug=organisation.slug)
    context = {"invitation": invitation, "organisation": organisation, "reason": reason}
    return render(request, "accounts/invitation_accept.html", context, status=200 if allowed else 403)
