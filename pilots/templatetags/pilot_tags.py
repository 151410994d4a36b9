"""Pilot template tags: numbers as people write them, the pilot panel on the supplier's proposal page, and the
public scorecard's pieces.

``{% measure_chart measure %}`` draws one measure's chart (``pilots.chart``). ``{% award_pilots awards %}`` pairs a
challenge page's awards with their pilots' scorecards, for a one-line status under each award: a tag, so the
challenge page (in ``challenges``, below pilots) shows it without importing pilots, as it shows the awards through
``judging``'s ``public_awards``.
"""

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString

from ..chart import format_number, measure_svg
from ..selectors.public import PublicMeasure, PublicScorecard, public_scorecards
from ..selectors.setup import supplier_pilot

register = template.Library()


@register.filter
def number(value) -> str:
    """200, 12.5 or 1,250: no trailing zeros, thousands separated; "" for no value."""
    if value is None or value == "":
        return ""
    return format_number(value)


@register.filter
def value_of(values: dict, measure):
    """A version's stored value for ``measure`` (versions keep values by measure id, as text)."""
    return (values or {}).get(str(measure.pk), "")


@register.inclusion_tag("pilots/includes/proposal_pilot.html")
def proposal_pilot(proposal):
    """On the supplier's proposal page: its pilot, once the managers have set one up, with the next report due."""
    return {"summary": supplier_pilot(proposal)}


@register.simple_tag
def measure_chart(measure: PublicMeasure) -> SafeString:
    return measure_svg(measure, id_prefix=f"measure-{measure.id}-chart")


@register.simple_tag
def award_pilots(awards) -> list[tuple[object, PublicScorecard | None]]:
    """Each award with its pilot's scorecard (None without a public pilot), in a fixed number of queries."""
    awards = list(awards)
    if not awards:
        return []
    cards = public_scorecards([award.proposal_id for award in awards], today=timezone.localdate())
    return [(award, cards.get(award.proposal_id)) for award in awards]
