"""Decisions and the announcement of winners (staff, Wagtail admin).

The decisions page lists every proposal a decision can be made on, in ranking order, with the decision
recorded so far; deciding happens on the proposal's own page, beside its reviews. The announcement is a
separate confirmation step because it cannot be undone: it emails every supplier and publishes the winners.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import TemplateView
from wagtail.admin import messages

from core.formatting import format_moment

from ..selectors.admin_pages import award_counts, decision_rows, outcome_recipients
from ..selectors.confidence import places_planned
from ..selectors.decisions import announcement_blockers
from ..services.decisions import challenge_announce
from .base import ChallengeManagerMixin, admin_url


class DecisionsView(ChallengeManagerMixin, TemplateView):
    template_name = "judging/admin/decisions.html"
    page_title = "Decisions"
    tab = "decisions"

    def get_context_data(self, **kwargs):
        challenge = self.challenge
        rows = decision_rows(challenge)
        return super().get_context_data(
            rows=rows,
            decided=sum(1 for row in rows if row["decision"]),
            places=places_planned(self.stage),
            announced=bool(challenge.announced_at),
            blockers=[] if challenge.announced_at else announcement_blockers(challenge),
            **kwargs,
        )


class AnnounceView(ChallengeManagerMixin, TemplateView):
    """GET: what announcing will do, or what stops it. POST: announce."""

    template_name = "judging/admin/announce.html"
    page_title = "Announce the winners"
    tab = "decisions"

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        return [*items[:-1], {"url": admin_url("decisions", self.challenge.pk), "label": "Decisions"}, items[-1]]

    def get(self, request, *args, **kwargs):
        if self.challenge.announced_at:
            return self._already_announced()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            blockers=announcement_blockers(self.challenge),
            recipients=outcome_recipients(self.challenge),
            awards=award_counts(self.challenge),
            **kwargs,
        )

    def _already_announced(self):
        messages.warning(
            self.request, f"The winners were already announced at {format_moment(self.challenge.announced_at)}."
        )
        return redirect(admin_url("decisions", self.challenge.pk))

    def post(self, request, *args, **kwargs):
        if self.challenge.announced_at:
            return self._already_announced()
        try:
            sent = challenge_announce(challenge=self.challenge, by=request.user)
        except ValidationError:
            # The page reads the blockers again, each with the proposals it names and where to deal with them.
            messages.error(request, "The winners have not been announced. Do what is listed below first.")
            return self.render_to_response(self.get_context_data())
        messages.success(request, f"Winners announced: {sent} email{'' if sent == 1 else 's'} queued.")
        return redirect(admin_url("decisions", self.challenge.pk))
