"""Forms for the organisation pages. Messages follow the GOV.UK style: say what to do, not what went wrong."""

from django import forms
from django.conf import settings

from .models import Membership, Organisation, validate_companies_house_number

WEBSITE_MESSAGE = "Enter a website address in the correct format, like https://www.example.org"
EMAIL_MESSAGE = "Enter an email address in the correct format, like name@example.com"


class OrganisationForm(forms.ModelForm):
    """The organisation's profile. Model validation (format, uniqueness) runs here too, so every problem
    is reported at once rather than one round trip at a time."""

    name = forms.CharField(
        label="Organisation name",
        max_length=200,
        error_messages={
            "required": "Enter your organisation's name",
            "max_length": "Organisation name must be 200 characters or fewer",
        },
    )
    companies_house_number = forms.CharField(
        label="Companies House number (optional)",
        help_text="8 characters, like 01234567 or SC123456. Leave this blank if you are not registered.",
        required=False,
    )
    size = forms.ChoiceField(
        label="Size",
        choices=Organisation.Size.choices,
        error_messages={"required": "Select your organisation's size", "invalid_choice": "Select a size from the list"},
    )
    sector = forms.ChoiceField(
        label="Sector",
        choices=Organisation.Sector.choices,
        error_messages={
            "required": "Select your organisation's sector",
            "invalid_choice": "Select a sector from the list",
        },
    )
    region = forms.ChoiceField(
        label="Region",
        choices=[("", "Select a region")] + Organisation.Region.choices,
        error_messages={
            "required": "Select the region where your organisation is based",
            "invalid_choice": "Select a region from the list",
        },
    )
    website = forms.URLField(
        label="Website (optional)",
        required=False,
        assume_scheme="https",
        max_length=200,
        error_messages={"invalid": WEBSITE_MESSAGE, "max_length": "Website address must be 200 characters or fewer"},
    )

    class Meta:
        model = Organisation
        fields = ["name", "companies_house_number", "size", "sector", "region", "website"]

    def clean_companies_house_number(self) -> str | None:
        """Normalise first, so "sc 123 456" is accepted as SC123456 rather than failing on its spaces."""
        field = Organisation._meta.get_field("companies_house_number")
        value = field.to_python(self.cleaned_data["companies_house_number"])
        if value:
            validate_companies_house_number(value)
        return value


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter the email address of the person you want to invite",
            "invalid": EMAIL_MESSAGE,
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        error_messages={"required": "Select a role", "invalid_choice": "Select a role from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        days = getattr(settings, "INVITATION_EXPIRY_DAYS", 14)
        self.fields["email"].help_text = f"We'll email them a link to join. The link works for {days} days."
