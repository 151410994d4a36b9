from django import template

from submissions.files import describe_types

register = template.Library()

YES_NO = [("yes", "Yes"), ("no", "No")]


@register.filter
def as_pairs(choices: list[str]) -> list[tuple[str, str]]:
    return [(choice, choice) for choice in choices]


@register.simple_tag
def yes_no_options() -> list[tuple[str, str]]:
    return YES_NO


@register.filter
def file_rules(question) -> str:
    allowed = question.options.get("allowed_types") or ["pdf"]
    size = question.options.get("max_size_mb") or 10
    return f"Upload a {describe_types(allowed)} file smaller than {size} MB."


@register.filter
def file_accept(question) -> str:
    allowed = question.options.get("allowed_types") or ["pdf"]
    return ",".join(f".{kind}" for kind in allowed) + (",.jpeg" if "jpg" in allowed else "")


@register.filter
def answer_display(value, question) -> str:
    """An answer as the check-your-answers page reads it."""
    if value in (None, "", []):
        return ""
    if question.kind == "yes_no":
        return "Yes" if value == "yes" else "No"
    if question.kind == "multiple_choice":
        return ", ".join(value)
    if question.kind == "declaration":
        return "Confirmed"
    if question.kind == "file":
        return value.get("name", "")
    if question.kind == "date":
        import datetime

        day = datetime.date.fromisoformat(value)
        return f"{day.day} {day:%B %Y}"
    if question.kind == "number" and question.options.get("unit") == "£":
        return f"£{value}"
    if question.kind == "number" and question.options.get("unit"):
        return f"{value} {question.options['unit']}"
    return str(value)
