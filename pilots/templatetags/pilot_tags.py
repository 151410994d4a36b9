"""Template tags for showing a pilot's public scorecard.

``{% measure_chart measure %}`` draws one measure's chart (``pilots.chart``). ``{% award_pilots awards as
rows %}`` pairs a challenge page's awards with their pilots' scorecards, for a one-line status under each award: a
tag, so the challenge page (in ``challenges``, below pilots) shows it without importing pilots, as it shows the
awards through ``judging``'s ``public_awards``.
"""

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString

from pilots.chart import format_number, measure_svg
from pilots.selectors.public import PublicMeasure, PublicScorecard, public_scorecards

register = template.Library()


@register.simple_tag
def measure_chart(measure: PublicMeasure) -> SafeString:
    return measure_svg(measure, id_prefix=f"measure-{measure.id}-chart")


@register.filter
def measure_number(value) -> str:
    return format_number(value)


@register.simple_tag
def award_pilots(awards) -> list[tuple[object, PublicScorecard | None]]:
    """Each award with its pilot's scorecard (None without a public pilot), in a fixed number of queries."""
    awards = list(awards)
    if not awards:
        return []
    cards = public_scorecards([award.proposal_id for award in awards], today=timezone.localdate(), timeline=False)
    return [(award, cards.get(award.proposal_id)) for award in awards]
