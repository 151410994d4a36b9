"""The due-diligence forms: a manager's result on one check, a request for evidence, the supplier's upload and the
challenge's list of checks. Each item's forms carry its own prefix, so one page holds a form per check and an error
lands beside the right one. Messages say what to do."""

from django import forms

from .models import DueDiligenceItem, DueDiligenceStatus
from .services.due_diligence import EVIDENCE_MAX_MB, EVIDENCE_TYPES

NOTE_LIMIT = 2000
RESULT_CHOICES = [
    (DueDiligenceStatus.PASSED, DueDiligenceStatus.PASSED.label),
    (DueDiligenceStatus.FAILED, DueDiligenceStatus.FAILED.label),
    (DueDiligenceStatus.NOT_APPLICABLE, DueDiligenceStatus.NOT_APPLICABLE.label),
]
EVIDENCE_HELP = f"A PDF, Word, Excel, OpenDocument text, PNG or JPEG file, smaller than {EVIDENCE_MAX_MB} MB."
EVIDENCE_ACCEPT = ",".join(f".{kind}" for kind in EVIDENCE_TYPES) + ",.jpeg"


def _note_field(label: str, *, required: bool, help_text: str = "", required_message: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": required_message,
            "max_length": f"The note must be {NOTE_LIMIT} characters or fewer",
        },
    )


def _evidence_field(label: str, *, required: bool) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=required,
        help_text=EVIDENCE_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT}),
        error_messages={"required": "Choose a file to upload", "empty": "The selected file is empty"},
    )


class ItemResultForm(forms.Form):
    """A check's result, its note and (optionally) evidence: saving evidence alone is allowed, so a manager can
    file what arrived by email before deciding."""

    status = forms.ChoiceField(label="Result", choices=RESULT_CHOICES, required=False, widget=forms.RadioSelect)
    note = _note_field("Note", required=False, help_text="Required if the check failed: the award's refusal quotes it.")
    evidence = _evidence_field("Evidence (optional)", required=False)

    def __init__(self, item: DueDiligenceItem, data=None, files=None):
        initial = {"status": item.status if item.status != DueDiligenceStatus.OPEN else "", "note": item.note}
        super().__init__(data, files, prefix=f"item-{item.pk}", initial=initial)
        self.item = item
        self.fields["status"].label = f"Result of {item.name}"
        self.fields["note"].label = f"Note on {item.name}"
        self.fields["evidence"].label = f"Evidence of {item.name} (optional)"

    def clean(self):
        data = super().clean()
        status, evidence = data.get("status"), data.get("evidence")
        if not status and not evidence and "evidence" not in self.errors:
            self.add_error("status", f"Choose whether {self.item.name} passed, failed or does not apply")
        if status == DueDiligenceStatus.FAILED and not (data.get("note") or "").strip() and "note" not in self.errors:
            self.add_error("note", f"Say why {self.item.name} failed")
        return data


class EvidenceRequestForm(forms.Form):
    request_note = _note_field(
        "What should the supplier upload?",
        required=True,
        help_text="The supplier's members are emailed this, with a link to upload the evidence.",
        required_message="Say what evidence the supplier should upload",
    )

    def __init__(self, item: DueDiligenceItem, data=None):
        super().__init__(data, prefix=f"request-{item.pk}", initial={"request_note": item.evidence_request_note})
        self.item = item
        self.fields["request_note"].label = f"What evidence of {item.name} should the supplier upload?"


class SupplierEvidenceForm(forms.Form):
    evidence = _evidence_field("Upload a file", required=True)

    def __init__(self, item: DueDiligenceItem, data=None, files=None):
        super().__init__(data, files, prefix=f"item-{item.pk}")
        self.item = item


class CheckForm(forms.Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label="Name", max_length=120, required=False)
    guidance = forms.CharField(
        label="Guidance for the manager checking it",
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    remove = forms.BooleanField(label="Remove this check", required=False)


CheckFormSet = forms.formset_factory(CheckForm, extra=1)


def checks_formset(checks, data=None):
    """The checks in order and one blank row for a new check."""
    initial = [{"pk": check.pk, "name": check.name, "guidance": check.guidance} for check in checks]
    return CheckFormSet(data, initial=initial, prefix="checks")
