from django import forms
from wagtail.admin.forms import WagtailAdminPageForm

from .lifecycle import ChallengeStatus
from .querysets import SORT_CLOSING_SOONEST, SORT_NEWEST


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
        return cleaned_data


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
