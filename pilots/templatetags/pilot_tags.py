"""Pilot template helpers: numbers as people write them, and the pilot panel on the supplier's proposal page."""

from decimal import Decimal

from django import template

from ..selectors.setup import supplier_pilot

register = template.Library()


@register.filter
def number(value) -> str:
    """140, 12.5 or 1,250: no trailing zeros, thousands separated."""
    if value is None or value == "":
        return ""
    value = Decimal(value).normalize()
    whole, _, fraction = f"{value:f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = f"{int(whole.lstrip('-') or 0):,}"
    return f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}"


@register.inclusion_tag("pilots/includes/proposal_pilot.html")
def proposal_pilot(proposal):
    """On the supplier's proposal page: its pilot, once the managers have set one up, with the next report due."""
    return {"summary": supplier_pilot(proposal)}


@register.filter
def value_of(values: dict, measure):
    """A version's stored value for ``measure`` (versions keep values by measure id, as text)."""
    return (values or {}).get(str(measure.pk), "")
