"""Reads for the public challenge pages. Each returns what a template needs, in a fixed number of queries."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from wagtail.permission_policies.pages import PagePermissionPolicy

from .forms import ChallengeFilterForm
from .lifecycle import ChallengeStatus
from .models import ChallengeIndexPage, ChallengePage, Sponsor, Theme
from .querysets import SORT_CLOSING_SOONEST


def challenges_user_can_manage(user) -> QuerySet[ChallengePage]:
    """Every challenge page the user may publish, and so manage: all for a superuser, a sponsor's section for
    its managers, none for anyone else (see challenges.permissions)."""
    if not user.is_authenticated or not user.is_active:
        return ChallengePage.objects.none()
    return PagePermissionPolicy(ChallengePage).instances_user_has_permission_for(user, "publish")


def public_challenges():
    return ChallengePage.objects.live().public().select_related("sponsor").prefetch_related("themes")


def challenge_listing(*, index: ChallengeIndexPage, params: QueryDict) -> dict:
    now = timezone.now()
    sponsors = list(Sponsor.objects.filter(challenges__in=ChallengePage.objects.live().descendant_of(index)).distinct())
    themes = list(Theme.objects.all())
    form = ChallengeFilterForm(params, themes=themes, sponsors=sponsors)
    filters = form.valid_filters()

    challenges = public_challenges().descendant_of(index)
    if "theme" in filters:
        tagged = ChallengePage.objects.filter(themes__slug__in=filters["theme"]).values("pk")
        challenges = challenges.filter(pk__in=tagged)
    if "status" in filters:
        challenges = challenges.with_status(*filters["status"], now=now)
    if "sponsor" in filters:
        challenges = challenges.filter(sponsor__slug=filters["sponsor"])
    sort = filters.get("sort", SORT_CLOSING_SOONEST)
    challenges = challenges.sorted_by(sort, now=now)

    paginator = Paginator(challenges, settings.CHALLENGES_PER_PAGE)
    page_obj = paginator.get_page(params.get("page"))
    return {
        "filter_form": form,
        "page_obj": page_obj,
        "challenges": page_obj.object_list,
        "result_count": paginator.count,
        "sort": sort,
        "active_filters": active_filter_labels(form, filters),
        "filter_query": urlencode({k: v for k, v in params.lists() if k != "page"}, doseq=True),
        "show_sponsor_filter": index.sponsor_id is None and len(sponsors) > 1,
        "now": now,
    }


def active_filter_labels(form: ChallengeFilterForm, filters: dict) -> list[str]:
    labels = []
    for name in ("theme", "status", "sponsor"):
        values = filters.get(name)
        if not values:
            continue
        choices = dict(form.fields[name].choices)
        for value in values if isinstance(values, list) else [values]:
            labels.append(str(choices.get(value, value)))
    return labels


def featured_open_challenges(*, limit: int = 3) -> list[ChallengePage]:
    now = timezone.now()
    return list(public_challenges().open_for_proposals(now=now).order_by("closes_at")[:limit])


def upcoming_challenges(*, limit: int = 3) -> list[ChallengePage]:
    now = timezone.now()
    return list(public_challenges().with_status(ChallengeStatus.UPCOMING, now=now).order_by("opens_at")[:limit])
