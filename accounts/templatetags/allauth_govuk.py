"""GOV.UK Frontend markup for allauth's forms, and the small questions allauth's templates ask of two-factor.

allauth renders its pages through "elements" (templates/allauth/elements/); these tags give the form fields,
error summaries and page titles of those elements the markup of the rest of the site.
"""

import re

from django import forms, template
from django.contrib.auth.password_validation import MinimumLengthValidator, get_default_password_validators

from accounts import two_factor

register = template.Library()

# allauth's labels in the GOV.UK style: sentence case, and the words the design system uses.
LABELS = {
    "Email": "Email address",
    "Password (again)": "Confirm password",
    "Current Password": "Current password",
    "New Password": "New password",
    "New Password (again)": "Confirm new password",
    "Remember Me": "Keep me signed in on this device",
}
# "This field is required." says nothing about the field: GOV.UK's messages say what to do.
REQUIRED_MESSAGES = {
    "Email address": "Enter your email address",
    "Password": "Enter your password",
    "Confirm password": "Enter your password again",
    "Current password": "Enter your current password",
    "New password": "Enter a new password",
    "Confirm new password": "Enter your new password again",
}
# The context variables allauth's views put their forms in.
FORM_CONTEXT_NAMES = ("form", "verify_form", "change_form")
CODE_FIELD_NAMES = {"code"}


def _label(field: forms.BoundField) -> str:
    return LABELS.get(str(field.label), field.label)


def _errors(field: forms.BoundField) -> list[str]:
    """The field's errors, with Django's generic "required" message replaced by one that says what to do."""
    required = str(forms.Field.default_error_messages["required"])
    if field.name in CODE_FIELD_NAMES:
        instead = "Enter the code"
    else:
        instead = REQUIRED_MESSAGES.get(str(_label(field)), f"Enter your {str(_label(field)).lower()}")
    return [instead if str(error) == required else error for error in field.errors]


def _kind(field: forms.BoundField) -> str:
    widget = field.field.widget
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    return "input"


def password_hint() -> str:
    """The password rules of AUTH_PASSWORD_VALIDATORS in one sentence (Django's own help is a bulleted list)."""
    lengths = [v.min_length for v in get_default_password_validators() if isinstance(v, MinimumLengthValidator)]
    length = f"at least {max(lengths)} characters" if lengths else "a long password"
    return f"Use {length}. Do not use a common password, only numbers, or something like your email address."


def _hint(field: forms.BoundField, hint: str | None) -> str:
    if hint is not None:
        return hint
    help_text = str(field.help_text or "").strip()
    if isinstance(field.field.widget, forms.PasswordInput) and "<li>" in help_text:
        return password_hint()
    return help_text


def _input_attrs(field: forms.BoundField, kind: str, describedby: list[str], input_class: str) -> dict:
    attrs: dict = {"placeholder": False}
    if describedby:
        attrs["aria-describedby"] = " ".join(describedby)
    if kind == "checkbox":
        attrs["class"] = "govuk-checkboxes__input"
        return attrs
    base = {"textarea": "govuk-textarea", "password": "govuk-input govuk-password-input__input"}.get(
        kind, "govuk-input"
    )
    classes = [base]
    if kind == "password":
        classes.append("govuk-js-password-input-input")
        attrs.update({"spellcheck": "false", "autocapitalize": "none"})
    if field.errors:
        classes.append("govuk-textarea--error" if kind == "textarea" else "govuk-input--error")
    if field.name in CODE_FIELD_NAMES:
        classes.append("govuk-input--width-10")
        attrs.update({"inputmode": "numeric", "spellcheck": "false", "autocomplete": "one-time-code"})
    if getattr(field.field.widget, "input_type", "") == "email":
        attrs.update({"spellcheck": "false", "autocapitalize": "none"})
    if input_class:
        classes.append(input_class)
    attrs["class"] = " ".join(classes)
    return attrs


@register.inclusion_tag("allauth/govuk/field.html")
def govuk_field(field, label=None, hint=None, errors=None, label_class="", input_class=""):
    """One form field as a GOV.UK form group: label, hint, error message and input, all tied together."""
    kind = _kind(field)
    field_id = field.auto_id
    all_errors = [*(errors or []), *_errors(field)]
    hint_text = _hint(field, hint)
    describedby = []
    if hint_text:
        describedby.append(f"{field_id}-hint")
    if all_errors:
        describedby.append(f"{field_id}-error")
    input_html = (
        field.as_widget(attrs=_input_attrs(field, kind, describedby, input_class)) if kind != "hidden" else field
    )
    return {
        "field": field,
        "kind": kind,
        "id": field_id,
        "label": label if label is not None else _label(field),
        "label_class": label_class,
        "hint": hint_text,
        "errors": all_errors,
        "input": input_html,
    }


@register.inclusion_tag("allauth/govuk/fields.html")
def govuk_fields(form):
    """Every field of a form; errors about the form as a whole are shown on its first field."""
    visible = form.visible_fields()
    return {
        "first": visible[0] if visible else None,
        "rest": visible[1:],
        "hidden": form.hidden_fields(),
        "form_errors": list(form.non_field_errors()),
    }


@register.inclusion_tag("allauth/govuk/error_summary.html")
def govuk_error_summary(form):
    """GOV.UK's error summary: each message links to its field (errors about the whole form, to the first)."""
    items = []
    if form is not None and form.is_bound and form.errors:
        visible = form.visible_fields()
        first_id = visible[0].auto_id if visible else ""
        items += [(first_id, error) for error in form.non_field_errors()]
        for field in visible:
            items += [(field.auto_id, error) for error in _errors(field)]
    return {"items": items}


@register.simple_tag(takes_context=True)
def page_has_errors(context) -> bool:
    """Whether a form on the page came back with errors, so the title can start with "Error: "."""
    for name in FORM_CONTEXT_NAMES:
        form = context.get(name)
        if isinstance(form, forms.BaseForm) and form.is_bound and form.errors:
            return True
    return False


@register.filter
def squash(value: str) -> str:
    """Collapse the whitespace allauth's block templates leave around a title."""
    return re.sub(r"\s+", " ", str(value)).strip()


@register.filter
def button_classes(tags) -> str:
    """GOV.UK button modifiers for allauth's button tags (danger, secondary, outline, link...)."""
    tags = set(tags or [])
    classes = ["govuk-button"]
    if tags & {"danger", "delete"}:
        classes.append("govuk-button--warning")
    elif tags & {"secondary", "outline", "link", "cancel", "minor"}:
        classes.append("govuk-button--secondary")
    return " ".join(classes)


@register.filter
def tag_colour(tags) -> str:
    tags = set(tags or [])
    if "success" in tags:
        return "govuk-tag--green"
    if tags & {"warning", "danger"}:
        return "govuk-tag--yellow"
    return "govuk-tag--blue"


@register.filter
def needs_two_factor(user) -> bool:
    return two_factor.two_factor_required(user)


@register.simple_tag(takes_context=True)
def two_factor_return_path(context) -> str:
    """The admin or judging page two-factor set-up interrupted, if any, so the last step can lead back there."""
    request = context.get("request")
    if request is None or not hasattr(request, "session"):
        return ""
    return request.session.get(two_factor.RETURN_PATH_SESSION_KEY, "")
