"""Forms for the judges' pages. Messages follow the GOV.UK style: say what to do, not what went wrong."""

from django import forms
from django.core.exceptions import ValidationError

from accounts.models import Organisation

from .reviews import Mark
from .rubric import Criterion

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
