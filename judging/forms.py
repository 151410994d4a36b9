"""Every judging form: the judges' pages (conflicts, expertise, scoring) and the managers' admin pages (screening,
panel, assignments, results filters, decisions, reopening a review). Messages say what to do, not what went wrong."""

from django import forms
from django.core.exceptions import ValidationError

from accounts.models import Organisation
from submissions.models import ProposalStatus
from submissions.workflow import RANKED

from .models import Outcome
from .rubric import Criterion
from .services.reviews import Mark

COMMENT_LIMIT = 5000
REASON_LIMIT = 2000
DASH = " \u2013 "


def _reason_field(label: str, required_message: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=REASON_LIMIT,
        error_messages={
            "required": required_message,
            "max_length": f"Your reason must be {REASON_LIMIT} characters or fewer",
        },
    )


class ProposalConflictForm(forms.Form):
    reason = _reason_field(
        "Describe your conflict of interest",
        "Describe your conflict of interest with this proposal",
        "For example, you work with or advise the organisation, or have a financial interest in it.",
    )


class OrganisationConflictForm(forms.Form):
    """A conflict declared up front with a whole organisation: none of its proposals will be assigned to you."""

    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        empty_label="Choose an organisation",
        error_messages={
            "required": "Choose the organisation you have a conflict of interest with",
            "invalid_choice": "Choose an organisation from the list",
        },
    )
    reason = _reason_field(
        "Describe your conflict of interest",
        "Describe your conflict of interest with the organisation",
        "For example, you work for it, advise it, or a close relative does.",
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ExpertiseForm(forms.Form):
    themes = forms.ModelMultipleChoiceField(
        label="Which of this challenge's themes do you know well?",
        queryset=None,
        required=False,
        help_text="Select all that apply. Proposals are matched to judges with the right expertise where possible.",
        error_messages={
            "invalid_choice": "Choose themes from the list",
            "invalid_pk_value": "Choose themes from the list",
        },
    )

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = themes


class ScoreForm(forms.Form):
    """One score (0 to the criterion's scale) and one comment per rubric criterion.

    Every field is optional here: a draft may leave things out, and whether a submission is complete is
    ``reviews.problems``'s rule, whose messages come back through ``add_service_errors``.
    """

    def __init__(self, criteria: list[Criterion], *args, **kwargs):
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            out_of_range = f"Score {criterion.name} from 0 to {criterion.scale_max}"
            self.fields[self.score_name(criterion)] = forms.TypedChoiceField(
                label=criterion.name,
                choices=[("", "")] + [(str(n), str(n)) for n in range(criterion.scale_max + 1)],
                coerce=int,
                empty_value=None,
                required=False,
                error_messages={"invalid_choice": out_of_range},
            )
            self.fields[self.comment_name(criterion)] = forms.CharField(
                label=f"Comment on {criterion.name}" + ("" if criterion.comment_required else " (optional)"),
                required=False,
                max_length=COMMENT_LIMIT,
                error_messages={
                    "max_length": f"Your comment on {criterion.name} must be {COMMENT_LIMIT} characters or fewer"
                },
            )

    @staticmethod
    def score_name(criterion: Criterion) -> str:
        return f"score-{criterion.id}"

    @staticmethod
    def comment_name(criterion: Criterion) -> str:
        return f"comment-{criterion.id}"

    @classmethod
    def initial_from(cls, criteria: list[Criterion], scores: dict) -> dict:
        initial = {}
        for criterion in criteria:
            score = scores.get(criterion.id)
            if score is not None:
                initial[cls.score_name(criterion)] = "" if score.value is None else str(score.value)
                initial[cls.comment_name(criterion)] = score.comment
        return initial

    def marks(self) -> dict[str, Mark]:
        return {
            criterion.id: Mark(
                self.cleaned_data.get(self.score_name(criterion)),
                self.cleaned_data.get(self.comment_name(criterion)) or "",
            )
            for criterion in self.criteria
        }

    def add_service_errors(self, error: ValidationError, marks: dict[str, Mark]) -> None:
        """Put each of the service's per-criterion messages on the field that needs fixing."""
        by_id = {criterion.id: criterion for criterion in self.criteria}
        for criterion_id, messages in error.message_dict.items():
            criterion = by_id.get(criterion_id)
            if criterion is None:
                self.add_error(None, messages)
                continue
            value = marks.get(criterion_id, Mark(None)).value
            scored = value is not None and 0 <= value <= criterion.scale_max
            self.add_error(self.comment_name(criterion) if scored else self.score_name(criterion), messages)

    def rows(self) -> list[dict]:
        """Per criterion, what the template needs: the fields, the options with their level descriptors."""
        rows = []
        for criterion in self.criteria:
            score, comment = self[self.score_name(criterion)], self[self.comment_name(criterion)]
            options = [
                (
                    str(n),
                    f"{n}{DASH}{criterion.levels[n]}" if n < len(criterion.levels) and criterion.levels[n] else str(n),
                )
                for n in range(criterion.scale_max + 1)
            ]
            rows.append(
                {
                    "criterion": criterion,
                    "score": score,
                    "comment": comment,
                    "options": options,
                    "checked": "" if score.value() is None else str(score.value()),
                }
            )
        return rows

    def error_links(self) -> list[tuple[str, str]]:
        """(anchor, message) in page order, for the error summary."""
        links = []
        for criterion in self.criteria:
            for name in (self.score_name(criterion), self.comment_name(criterion)):
                links.extend((name, message) for message in self.errors.get(name, []))
        links.extend(("", message) for message in self.non_field_errors())
        return links


# --- The managers' admin pages -----------------------------------------------------------------------------------


class BulkMoveForm(forms.Form):
    """Move the ticked proposals to one status. ``received`` is the challenge's received proposals; ``targets`` the
    statuses a manager may move them to here."""

    proposals = forms.ModelMultipleChoiceField(
        queryset=None,
        error_messages={
            "required": "Select at least one proposal to move.",
            "invalid_choice": "One of the proposals you selected is not in this challenge.",
            "invalid_pk_value": "One of the proposals you selected is not in this challenge.",
        },
    )
    to = forms.ChoiceField(
        label="Move the selected proposals to",
        error_messages={
            "required": "Choose the status to move the selected proposals to.",
            "invalid_choice": "Choose one of the statuses listed.",
        },
    )
    note = forms.CharField(
        label="Note (the supplier is told the reason a proposal is ineligible)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    acknowledged = forms.CharField(required=False)
    """Sent by "Send to moderation anyway": the unsubmitted reviews (assignment ids) the manager was shown."""

    def __init__(self, *args, received, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = received
        self.fields["to"].choices = [("", "Choose a status")] + [(s.value, s.label) for s in targets]

    def clean_acknowledged(self) -> set[int]:
        """Anything but a list of ids acknowledges nothing: the warning is shown again."""
        return {int(part) for part in self.cleaned_data["acknowledged"].split(",") if part.strip().isdigit()}


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter the email address of the person to invite.",
            "invalid": "Enter an email address in the correct format, like name@example.com.",
        },
    )


class AssignForm(forms.Form):
    """Choices come from the grid already loaded, so the form adds no queries to the page."""

    proposal = forms.TypedChoiceField(
        label="Proposal",
        coerce=int,
        error_messages={"required": "Choose a proposal.", "invalid_choice": "Choose one of the proposals listed."},
    )
    judge = forms.TypedChoiceField(
        label="Judge",
        coerce=int,
        error_messages={"required": "Choose a judge.", "invalid_choice": "Choose one of the panel's judges."},
    )

    def __init__(self, *args, rows, columns, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposals = {row.proposal.pk: row.proposal for row in rows}
        self.judges = {column.judge.pk: column.judge for column in columns}
        self.fields["proposal"].choices = [("", "Choose a proposal")] + [
            (p.pk, f"{p.reference}: {p.title}") for p in self.proposals.values()
        ]
        self.fields["judge"].choices = [("", "Choose a judge")] + [(j.pk, str(j)) for j in self.judges.values()]


class RankingFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *((status, ProposalStatus(status).label) for status in RANKED)],
    )
    min_reviews = forms.IntegerField(label="Minimum number of reviews", required=False, min_value=0, max_value=999)
    flagged = forms.BooleanField(label="Only proposals flagged for a check", required=False)
    close_calls = forms.BooleanField(label="Only close calls (to discuss)", required=False)


class DecisionForm(forms.Form):
    """Only the outcome is checked here; decision_record says what else an outcome needs, field by field."""

    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose an outcome."},
    )
    feedback = forms.CharField(
        label="Feedback for the supplier",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Emailed to everyone in the supplier's organisation when the winners are announced.",
    )
    public_rationale = forms.CharField(
        label="Public rationale",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required for a winner or a highly commended proposal: published with the winners.",
    )
    amount = forms.DecimalField(
        label="Award in pounds",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text="The money awarded, if any: due diligence must be complete first, and the challenge's awards "
        "together may not exceed its funding.",
        error_messages={
            "invalid": "Enter the award as a number of pounds, for example 10000.",
            "min_value": "The award cannot be less than £0.",
            "max_digits": "Enter an award of less than £10,000,000,000.",
            "max_decimal_places": "Enter the award in pounds and pence, for example 10000.50.",
        },
    )
    departure_reason = forms.CharField(
        label="Why this decision departs from the ranking (if it does)",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you award a proposal ranked below one not selected, or the other way round. "
        "Published with the decision; never name judges or give scores.",
    )
    uncertainty_reason = forms.CharField(
        label="Why the panel decided this way although its ranking is uncertain (if it is)",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you award a proposal that is not clearly in the top places when the panel is "
        "resampled, or do not select one that may be. Kept with the decision and in the audit log; not published.",
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why reopen this review?",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The judge is emailed this reason with a link to the review.",
    )

    @classmethod
    def for_review(cls, review, judge_name: str, data=None) -> "ReopenForm":
        form = cls(data, prefix=f"review-{review.pk}")
        form.fields["reason"].label = f"Why reopen the review by {judge_name}?"
        return form


def describe_errors(form: forms.Form) -> forms.Form:
    """Tie each field's error message to its input (``aria-describedby``), which Wagtail's field template shows
    but does not link; the templates give the message the id ``<field id>-error``."""
    for name in form.errors:
        if name in form.fields:
            bound = form[name]
            ids = [f"{bound.auto_id}-error"] + ([f"{bound.auto_id}-helptext"] if bound.help_text else [])
            form.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)
    return form


class ProgressionForm(forms.Form):
    """Take the ticked proposals forward to the next stage, or not. Feedback typed beside a proposal is its own;
    the shared feedback goes to every ticked proposal without its own. Those not taken forward must have some."""

    TAKE_FORWARD = "forward"
    NOT_FORWARD = "not_forward"

    proposals = forms.ModelMultipleChoiceField(
        queryset=None,
        error_messages={
            "required": "Select at least one proposal.",
            "invalid_choice": "One of the proposals you selected cannot be taken forward or not from this stage.",
            "invalid_pk_value": "One of the proposals you selected cannot be taken forward or not from this stage.",
        },
    )
    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to take the selected proposals forward."},
    )
    feedback = forms.CharField(
        label="Feedback for every selected organisation without its own",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, candidates, next_stage, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = candidates
        self.fields["decision"].choices = [
            (self.TAKE_FORWARD, f"Take forward to {next_stage.name}"),
            (self.NOT_FORWARD, "Do not take forward (the feedback is emailed when the stage's feedback is released)"),
        ]

    def own_feedback(self, proposal) -> str:
        return (self.data.get(f"feedback-{proposal.pk}") or "").strip()

    def feedback_for(self, proposal) -> str:
        return self.own_feedback(proposal) or self.cleaned_data.get("feedback", "").strip()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.NOT_FORWARD and cleaned.get("proposals") is not None:
            missing = [p.reference for p in cleaned["proposals"] if not self.feedback_for(p)]
            if missing:
                self.add_error(
                    "feedback",
                    f"Give feedback for {', '.join(missing)}: each organisation not taken forward is told why. "
                    "Type it beside the proposal, or here for all of them.",
                )
        return cleaned
