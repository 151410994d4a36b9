"""The one way a view shows a service's refusal on a form."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError on the form: messages keyed by one of the form's fields go beside that field,
    everything else above the form (the error summary lists both)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields and field != NON_FIELD_ERRORS else None, messages)
