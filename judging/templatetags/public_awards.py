"""``{% public_awards page as awards %}``: a challenge's announced awards for its public page.

A template tag, so the challenge page (in ``challenges``, below judging) shows awards without importing judging;
what may be published is decided in ``judging.selectors.public``.
"""

from django import template

from judging.selectors.public import PublicAward, challenge_public_awards, challenge_public_shortlist

register = template.Library()


@register.simple_tag
def public_awards(challenge) -> list[PublicAward]:
    return challenge_public_awards(challenge)


@register.simple_tag
def public_shortlist(challenge) -> list[str]:
    return challenge_public_shortlist(challenge)
