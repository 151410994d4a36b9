"""``{% public_awards page as awards %}``: a challenge's announced awards for its public page; ``{% panel_record page
as panels %}``: how its panel decided, in panel-level figures.

A template tag, so the challenge page (in ``challenges``, below judging) shows awards without importing judging;
what may be published is decided in ``judging.selectors.public``.
"""

from django import template

from judging.selectors.public import (
    PanelRecord,
    PublicAward,
    challenge_public_awards,
    challenge_public_shortlist,
    panel_record,
)

register = template.Library()


@register.simple_tag
def public_awards(challenge) -> list[PublicAward]:
    return challenge_public_awards(challenge)


@register.simple_tag
def public_shortlist(challenge) -> list[str]:
    return challenge_public_shortlist(challenge)


@register.simple_tag
def panel_record_of(challenge) -> list[PanelRecord]:
    return panel_record(challenge)
