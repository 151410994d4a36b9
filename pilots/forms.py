"""The pilot forms: the supplier's report (one value field per measure) and the manager's set-up, review and
status forms. Messages say what to do; services re-check everything and their errors land beside the field."""

from decimal import Decimal

from django import forms

from .models import PilotStatus
from .services.reports import EVIDENCE_MAX_MB, EVIDENCE_TYPES

TEXT_LIMIT = 10000
DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
"""A browser's date picker: it shows and sends the date as 2027-03-01, whatever the site's locale."""
EVIDENCE_HELP = (
    f"Optional. A PDF, Word, Excel, OpenDocument text, CSV, PNG or JPEG file, smaller than {EVIDENCE_MAX_MB} MB. "
    "Add files one at a time; each is kept with the report."
)
EVIDENCE_ACCEPT = ",".join(f".{kind}" for kind in EVIDENCE_TYPES) + ",.jpeg"


def _text(label: str, *, required: bool = False, help_text: str = "", rows: int = 5, message: str = ""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message, "max_length": f"{label} must be {TEXT_LIMIT} characters or fewer"},
    )


def measure_field_name(measure) -> str:
    return f"measure_{measure.pk}"


def measure_hint(measure) -> str:
    direction = "higher is better" if measure.higher_is_better else "lower is better"
    baseline, target = f"{measure.baseline.normalize():f}", f"{measure.target.normalize():f}"
    return f"In {measure.unit}. Baseline {baseline}, target {target} ({direction})."


class ReportForm(forms.Form):
    """The supplier's report on one milestone. Values stay text here: the service says which is not a number,
    so what was typed is shown back as it was."""

    narrative = _text(
        "Progress on this milestone",
        help_text="What you delivered, what happened, and what you learned. Only the challenge's managers read this.",
        rows=8,
    )
    risks = _text("Risks and issues (optional)", help_text="Anything that could delay the pilot or its outcomes.")
    public_summary = _text(
        "Public summary of the pilot",
        help_text="The final report's summary of what the pilot achieved. Once accepted it is published on the "
        "pilot's public scorecard, so write it for anyone to read and leave out personal data.",
    )
    evidence = forms.FileField(
        label="Add evidence",
        required=False,
        help_text=EVIDENCE_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT}),
        error_messages={"empty": "The selected file is empty"},
    )

    def __init__(self, report, measures, *, final: bool, data=None, files=None):
        initial = {"narrative": report.narrative, "risks": report.risks, "public_summary": report.public_summary}
        values = {v.measure_id: v.value for v in report.values.all()} if report.pk else {}
        for measure in measures:
            value = values.get(measure.pk)
            initial[measure_field_name(measure)] = "" if value is None else f"{value.normalize():f}"
        super().__init__(data, files, initial=initial)
        self.measures = measures
        if not final:
            del self.fields["public_summary"]
        for measure in measures:
            self.fields[measure_field_name(measure)] = forms.CharField(
                label=f"{measure.name} (current value)",
                required=False,
                max_length=30,
                help_text=measure_hint(measure),
                error_messages={"max_length": f"Enter {measure.name.lower()} as a number, like 140 or 12.5"},
            )

    @property
    def measure_fields(self):
        return [self[measure_field_name(measure)] for measure in self.measures]

    def values(self) -> dict[int, str]:
        return {measure.pk: self.cleaned_data.get(measure_field_name(measure), "") for measure in self.measures}


class PilotDatesForm(forms.Form):
    starts_on = forms.DateField(
        label="Start date",
        error_messages={"required": "Enter the pilot's start date", "invalid": "Enter the start date as a real date"},
        widget=DATE_INPUT,
    )
    ends_on = forms.DateField(
        label="End date",
        error_messages={"required": "Enter the pilot's end date", "invalid": "Enter the end date as a real date"},
        widget=DATE_INPUT,
    )
    report_reminder_days = forms.IntegerField(
        label="Remind the supplier this many days before a report is due",
        initial=7,
        min_value=0,
        max_value=60,
        error_messages={
            "required": "Enter how many days before a report is due to remind the supplier",
            "invalid": "Enter the days as a whole number, like 7",
            "min_value": "Enter 0 days or more",
            "max_value": "Enter 60 days or fewer",
        },
    )

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end date must be on or after the start date")
        return cleaned


class MilestoneForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label="Milestone", max_length=120, required=False)
    due_on = forms.DateField(
        label="Report due",
        required=False,
        widget=DATE_INPUT,
        error_messages={"invalid": "Enter the report's due date as a real date"},
    )
    payment = forms.DecimalField(
        label="Payment (£)",
        required=False,
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        error_messages={
            "invalid": "Enter the payment as an amount in pounds, like 2500 or 2500.50",
            "min_value": "A payment cannot be negative",
            "max_digits": "Enter a smaller payment",
            "max_decimal_places": "Enter the payment in pounds and pence, like 2500.50",
        },
    )
    deliverable = forms.CharField(
        label="Deliverable", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    remove = forms.BooleanField(label="Remove this milestone", required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("remove") or not any(cleaned.get(k) for k in ("name", "due_on", "payment", "deliverable")):
            return cleaned
        for field, message in (
            ("name", "Name the milestone"),
            ("due_on", "Enter the date its report is due"),
            ("deliverable", "Say what the supplier delivers for it"),
        ):
            if not cleaned.get(field) and field not in self.errors:
                self.add_error(field, message)
        if cleaned.get("payment") is None and "payment" not in self.errors:
            cleaned["payment"] = Decimal("0")
        return cleaned

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("id") and not any(data.get(k) for k in ("name", "due_on", "payment", "deliverable"))


class MeasureForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label="Outcome measure", max_length=160, required=False)
    unit = forms.CharField(
        label="Unit", max_length=40, required=False, help_text="What is counted, e.g. households or %."
    )
    baseline = forms.DecimalField(
        label="Baseline",
        required=False,
        max_digits=14,
        decimal_places=2,
        error_messages={"invalid": "Enter the baseline as a number, like 0 or 12.5"},
    )
    target = forms.DecimalField(
        label="Target",
        required=False,
        max_digits=14,
        decimal_places=2,
        error_messages={"invalid": "Enter the target as a number, like 200 or 12.5"},
    )
    higher_is_better = forms.TypedChoiceField(
        label="Which way is better",
        choices=[("1", "Higher is better"), ("0", "Lower is better")],
        coerce=lambda value: value == "1",
        initial="1",
        required=False,
        widget=forms.RadioSelect,
    )
    is_public = forms.BooleanField(label="Publish on the scorecard", required=False, initial=True)
    remove = forms.BooleanField(label="Remove this measure", required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("remove") or self._empty(cleaned):
            return cleaned
        for field, message in (
            ("name", "Name the measure"),
            ("unit", "Say what the measure counts, e.g. households"),
            ("baseline", "Enter the baseline, where the measure starts"),
            ("target", "Enter the target the pilot aims for"),
        ):
            if cleaned.get(field) in (None, "") and field not in self.errors:
                self.add_error(field, message)
        baseline, target = cleaned.get("baseline"), cleaned.get("target")
        if baseline is not None and target is not None and baseline == target:
            self.add_error("target", "The target must differ from the baseline")
        return cleaned

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("id") and self._empty(data)

    @staticmethod
    def _empty(data) -> bool:
        return all(data.get(k) in (None, "") for k in ("name", "unit", "baseline", "target"))


MilestoneFormSet = forms.formset_factory(MilestoneForm, extra=2)
MeasureFormSet = forms.formset_factory(MeasureForm, extra=2)


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=PilotStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the pilot's status"},
    )
    reason = _text(
        "Reason",
        help_text="Required for at risk, complete and stopped: published with the scorecard.",
        rows=3,
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("accept", "Accept the report"), ("request_changes", "Ask for changes")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to accept the report or ask for changes"},
    )
    comment = _text(
        "Comment to the supplier",
        help_text="Required when asking for changes: say what to change. Emailed to the supplier.",
        rows=4,
    )

    def __init__(self, *args, prefix: str, **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "request_changes" and not cleaned.get("comment"):
            self.add_error("comment", "Say what the supplier should change")
        return cleaned
