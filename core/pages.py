"""What every public page type shares: its view restrictions are looked up once per generation (``core.kept``)."""

from wagtail.models import PageViewRestriction

from .kept import kept


class KeptViewRestrictionsMixin:
    """Wagtail checks a page's view restrictions (its own and its ancestors') on every request, two queries each
    time. They change only when a restriction is added, edited or removed, or a page moves, each of which starts
    a new generation; so the restrictions that apply are kept, and handed out as a queryset that is already
    evaluated: iterating it reads nothing, and a caller that filters or orders it gets a fresh query."""

    def get_view_restrictions(self):
        if self.pk is None:
            return super().get_view_restrictions()
        ids, restrictions = kept(("view-restrictions", self.pk, self.path), self._view_restriction_facts)
        queryset = PageViewRestriction.objects.filter(page_id__in=ids)
        queryset._result_cache = list(restrictions)
        queryset._prefetch_done = True
        return queryset

    def _view_restriction_facts(self):
        restrictions = list(super().get_view_restrictions())
        return [restriction.page_id for restriction in restrictions], restrictions
