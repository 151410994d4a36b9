from django import forms
from wagtail.admin.forms import WagtailAdminPageForm

from core.formatting import format_pounds

from .funding import awarded_so_far
from .lifecycle import ChallengeStatus
from .querysets import SORT_CLOSING_SOONEST, SORT_NEWEST
from .stages import stage_order_errors


class ChallengePageForm(WagtailAdminPageForm):
    """Ties a challenge to the sponsor whose section it is created in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        section_sponsor = self._section_sponsor()
        if section_sponsor is not None and "sponsor" in self.fields:
            field = self.fields["sponsor"]
            field.queryset = field.queryset.filter(pk=section_sponsor.pk)
            field.initial = section_sponsor.pk
            field.empty_label = None
            field.help_text = f"Challenges in this section belong to {section_sponsor}."

    def _section_sponsor(self):
        parent = getattr(self, "parent_page", None)
        if parent is None:
            return None
        return getattr(parent.specific_deferred, "sponsor", None)

    def clean(self):
        cleaned_data = super().clean()
        section_sponsor = self._section_sponsor()
        sponsor = cleaned_data.get("sponsor")
        if section_sponsor is not None and sponsor is not None and sponsor != section_sponsor:
            self.add_error("sponsor", f"Challenges in this section must belong to {section_sponsor}.")
        self.clean_stages()
        self.clean_funding(cleaned_data.get("funding_available"))
        return cleaned_data

    def clean_funding(self, funding) -> None:
        """The funding may not fall below what the challenge has already awarded."""
        if funding is None or not self.instance.pk:
            return
        awarded = awarded_so_far(self.instance)
        if funding < awarded:
            self.add_error(
                "funding_available",
                f"{format_pounds(awarded)} is already awarded, so the funding cannot be less than that.",
            )

    def clean_stages(self) -> None:
        """Check the stages as typed, each error on the stage and field to fix, and hand them to the page, so its
        own checks (and the entry window it takes from the first stage) see what is being saved, not what was."""
        formset = self.formsets.get("stages")
        if formset is None or not formset.is_valid():
            return
        forms_in_order = list(formset.ordered_forms) if formset.can_order else list(formset.forms)
        forms_in_order = [form for form in forms_in_order if form.has_changed() or form.instance.pk]
        for form in formset.deleted_forms:
            if form.instance.pk and form.instance.proposals.exists():
                form.add_error(None, f"{form.instance.name} has proposals in it, so it cannot be removed.")
                self.add_error(None, f"{form.instance.name} has proposals in it, so it cannot be removed.")
        if not forms_in_order:
            self.add_error(None, "Add at least one stage: the open call every supplier can enter.")
            return
        for position, form in enumerate(forms_in_order):
            form.instance.sort_order = position
        problems = stage_order_errors([form.instance for form in forms_in_order])
        for position, fields in problems.items():
            for field, message in fields.items():
                forms_in_order[position].add_error(field, message)
        if problems:
            self.add_error(None, "The stages' dates need changing: see the stages marked below.")
            return
        self.instance.stages = [form.instance for form in forms_in_order]


class ChallengeFilterForm(forms.Form):
    """The listing's filters. Bad values are reported, and the rest of the filters still apply."""

    SORT_CHOICES = [(SORT_CLOSING_SOONEST, "Closing soonest"), (SORT_NEWEST, "Newest")]

    theme = forms.MultipleChoiceField(label="Theme", required=False)
    status = forms.MultipleChoiceField(
        label="Status",
        required=False,
        choices=ChallengeStatus.choices,
        error_messages={"invalid_choice": "Choose a status from the list."},
    )
    sponsor = forms.ChoiceField(label="Sponsor", required=False)
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=SORT_CHOICES,
        error_messages={"invalid_choice": "Choose how to sort from the list."},
    )

    def __init__(self, *args, themes, sponsors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [(theme.slug, theme.name) for theme in themes]
        self.fields["theme"].error_messages["invalid_choice"] = "Choose a theme from the list."
        self.fields["sponsor"].choices = [("", "All sponsors")] + [(sponsor.slug, sponsor.name) for sponsor in sponsors]
        self.fields["sponsor"].error_messages["invalid_choice"] = "Choose a sponsor from the list."

    def valid_filters(self) -> dict:
        """Every filter that passed validation, so one bad value does not discard the others."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in ("", [], None)}

    def labels_of(self, filters: dict) -> list[str]:
        """The chosen filters in words, for the results heading: "matching Homelessness, Open"."""
        labels = []
        for name in ("theme", "status", "sponsor"):
            values = filters.get(name)
            if not values:
                continue
            choices = dict(self.fields[name].choices)
            for value in values if isinstance(values, list) else [values]:
                labels.append(str(choices.get(value, value)))
        return labels
