"""The supplier's side of due diligence, under /judging/due-diligence/: what a challenge manager asked the
organisation for, and the upload of it; and the one download of evidence, for the organisation's members and the
challenge's managers.

Anyone else gets a 404, so the page never tells an outsider that a proposal is shortlisted.
"""

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from core.forms import add_service_errors
from submissions.files import private_file_response
from submissions.models import Proposal

from .due_diligence_permissions import (
    accepts_supplier_evidence,
    can_add_evidence,
    can_download_evidence,
    can_see_supplier_due_diligence,
)
from .forms import describe_errors
from .forms_due_diligence import SupplierEvidenceForm
from .selectors.due_diligence import evidence_item, supplier_requests
from .services.due_diligence import due_diligence_attach_evidence


@login_required
def due_diligence(request, proposal_id: int):
    """GET: the requests and what was uploaded for each. POST ``item`` and its file: upload evidence for it."""
    proposal = get_object_or_404(Proposal.objects.select_related("challenge", "organisation"), pk=proposal_id)
    if not can_see_supplier_due_diligence(request.user, proposal)[0]:
        raise Http404("No proposal found")
    items = supplier_requests(proposal)
    for item in items:
        item.proposal = proposal
    bound = {}
    if request.method == "POST":
        item = next((item for item in items if str(item.pk) == request.POST.get("item", "")), None)
        if item is None:
            raise Http404("Nothing was asked for here")
        form = SupplierEvidenceForm(item, request.POST, request.FILES)
        allowed, reason = can_add_evidence(request.user, item)
        if not allowed:
            form.is_valid()
            form.add_error("evidence", reason)
        elif form.is_valid():
            try:
                stored = due_diligence_attach_evidence(item=item, upload=form.cleaned_data["evidence"], by=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"{stored.evidence_name} uploaded as evidence of {item.name}.")
                return redirect("judging:due_diligence", proposal_id=proposal.pk)
        bound[item.pk] = describe_errors(form)
    rows = [
        {
            "item": item,
            "form": bound.get(item.pk) or SupplierEvidenceForm(item),
            "open": accepts_supplier_evidence(item),
        }
        for item in items
    ]
    context = {"proposal": proposal, "rows": rows, "errors": list(bound.values())}
    return render(request, "judging/due_diligence/supplier.html", context, status=400 if bound else 200)


@login_required
def evidence(request, item_id: int):
    """The evidence file as a download, for the organisation's members and the challenge's managers only."""
    item = evidence_item(item_id)
    if item is None or not item.evidence or not can_download_evidence(request.user, item)[0]:
        raise Http404("No such file")
    stored = SimpleNamespace(file=item.evidence, name=item.evidence_name, content_type=item.evidence_content_type)
    return private_file_response(stored)
