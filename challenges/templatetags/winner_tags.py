"""``{% public_winners page as winners %}``: a challenge's announced winners for its public page.

A template tag rather than ``get_context`` so the page model stays about editorial content; the rules of
what may be published live in ``challenges.winners``.
"""

from django import template

from challenges.winners import PublicWinner
from challenges.winners import public_winners as select_public_winners

register = template.Library()


@register.simple_tag
def public_winners(challenge) -> list[PublicWinner]:
    return select_public_winners(challenge)
