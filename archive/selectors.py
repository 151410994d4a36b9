"""Reads for the archive's public pages. Each returns what a template needs, in a fixed number of queries.

The search page and the winners gallery go through ``archive.search`` only, so they never know which backend
answered; the page of one winner reads its ``ArchiveEntry`` row, the public source of truth.
"""

import re
from dataclasses import dataclass, replace
from html import unescape

from django.db.models import OuterRef, Subquery
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from challenges.lifecycle import ChallengeStatus
from challenges.models import Sponsor, Theme
from challenges.templatetags.challenge_tags import STATUS_COLOURS
from core.pagination import pagination
from judging.models import Outcome
from pilots.models import STATUS_COLOURS as PILOT_COLOURS
from pilots.models import PilotStatus
from pilots.selectors.public import PublicScorecard, public_scorecards
from submissions.workflow import AWARDS, OUTCOME_COLOURS

from .forms import FACET_LABELS, SORT_CHOICES, ArchiveSearchForm, FacetVocabulary, SearchState, WinnerFilterForm
from .models import ArchiveEntry, EntryKind
from .search import PER_PAGE, Hit, SearchPage, search

WINNERS_PER_PAGE = 12
MAX_ID = 2**63 - 1
"""The largest id a database stores: a longer number in an address is no winner, not an overflow error."""
MARK = re.compile(r"</?mark>")


def facet_vocabulary() -> FacetVocabulary:
    """Every value a facet may take, with its label: two small queries, whatever the size of the archive."""
    awards = {value: label for value, label in Outcome.choices if value in AWARDS}
    return FacetVocabulary(
        labels={
            "kind": dict(EntryKind.choices),
            "theme": dict(Theme.objects.values_list("slug", "name")),
            "sponsor": dict(Sponsor.objects.values_list("slug", "name")),
            "status": {**dict(ChallengeStatus.choices), **awards},
            "pilot": dict(PilotStatus.choices),
        }
    )


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    checked: bool


@dataclass(frozen=True)
class FacetGroup:
    name: str
    legend: str
    options: list[FacetOption]


@dataclass(frozen=True)
class SelectedTag:
    legend: str
    label: str
    remove_url: str


@dataclass(frozen=True)
class Result:
    hit: Hit
    tag_label: str
    tag_colour: str
    summary_html: SafeString | str
    """The summary with its matches marked when the backend highlighted it whole, else the plain summary."""
    highlights: list[SafeString]
    """Matching fragments from elsewhere (the body, the rationale)."""
    pilot_colour: str = ""
    """The GOV.UK tag colour of a winner's pilot status; empty without a pilot."""


def archive_search(params: QueryDict) -> dict:
    """The archive search page: everything, narrowed by words and facets."""
    form = ArchiveSearchForm(params, vocabulary=facet_vocabulary())
    return _results(form, base_url=reverse("archive:search"), per_page=PER_PAGE)


def winners_gallery(params: QueryDict) -> dict:
    """The winners gallery: the archive's winner entries, newest first, narrowed by theme and year."""
    form = WinnerFilterForm(params, vocabulary=facet_vocabulary())
    return _results(form, base_url=reverse("archive:winners"), per_page=WINNERS_PER_PAGE, fixed={"kind": ("winner",)})


def _results(form: ArchiveSearchForm, *, base_url: str, per_page: int, fixed: dict | None = None) -> dict:
    form.is_valid()
    request = form.search_request(per_page=per_page, fixed=fixed)
    results = search(request)
    if request.page > results.pages:
        if results.total:
            pages = results.pages
            form.notices.append(
                f"There {'is' if pages == 1 else 'are'} only {pages} page{'' if pages == 1 else 's'} of results, "
                f"so you are seeing page {pages}."
            )
            request = replace(request, page=pages)
            results = search(request)
        else:
            request = replace(request, page=1)
    state = form.state(base_url)
    pages = results.pages
    suggestion = results.suggestion.strip()
    return {
        "form": form,
        "notices": form.notices,
        "query": state.q,
        "sort": state.sort,
        "sort_choices": SORT_CHOICES,
        "results": results,
        "result_list": [_result(hit) for hit in results.hits],
        "facet_groups": _facet_groups(results, state, form),
        "selected_tags": _selected_tags(state, form.vocabulary),
        "clear_url": state.cleared_url(),
        "suggestion_url": state.url(q=suggestion) if suggestion and suggestion.casefold() != state.q.casefold() else "",
        "pagination": pagination(current=request.page, last=pages, url_for=lambda number: state.url(page=number)),
        "page_number": request.page,
        "pages": pages,
    }


def _facet_groups(results: SearchPage, state: SearchState, form: ArchiveSearchForm) -> list[FacetGroup]:
    """The facets as checkboxes, in the backend's order. A chosen value the backend did not count (nothing
    matches it under the current words) is still listed, with 0, so it can be unticked."""
    groups = []
    for name in form.facets:
        chosen = state.filters.get(name, ())
        options = [
            FacetOption(
                value.value,
                form.vocabulary.label(name, value.value, value.label),
                value.count,
                value.value in chosen,
            )
            for value in results.facets.get(name, [])
        ]
        counted = {option.value for option in options}
        options += [
            FacetOption(value, form.vocabulary.label(name, value), 0, True) for value in chosen if value not in counted
        ]
        if options:
            groups.append(FacetGroup(name, FACET_LABELS[name], options))
    return groups


def _selected_tags(state: SearchState, vocabulary: FacetVocabulary) -> list[SelectedTag]:
    return [
        SelectedTag(FACET_LABELS[facet], vocabulary.label(facet, value), state.url(without=(facet, value)))
        for facet, values in state.filters.items()
        for value in values
    ]


def _result(hit: Hit) -> Result:
    if hit.kind == EntryKind.WINNER:
        label, colour = hit.status_label, OUTCOME_COLOURS.get(hit.status, "green")
    else:
        label, colour = hit.status_label, STATUS_COLOURS.get(hit.status, "grey")
    fragments = [safe_highlight(fragment) for fragment in hit.highlights]
    whole_summary = [fragment for fragment in fragments if hit.summary and _plain(fragment) == hit.summary.strip()]
    summary = whole_summary[0] if whole_summary else hit.summary
    return Result(
        hit,
        label,
        colour,
        summary,
        [fragment for fragment in fragments if fragment not in whole_summary],
        PILOT_COLOURS.get(hit.pilot_status, "grey") if hit.pilot_status else "",
    )


def _plain(fragment: str) -> str:
    return unescape(strip_tags(fragment)).strip()


def safe_highlight(fragment: str) -> SafeString:
    """A backend's highlight as HTML. Backends escape the text and add only <mark>; anything else in a fragment
    means that promise was broken, so the fragment is shown as plain text instead."""
    rest = MARK.sub("", fragment)
    if "<" in rest or ">" in rest:
        return escape(strip_tags(fragment))
    return mark_safe(fragment)


@dataclass(frozen=True)
class PublicWinner:
    entry: ArchiveEntry
    challenge_url: str
    award_colour: str
    scorecard: PublicScorecard | None = None
    """The pilot's public scorecard with its timeline, once the award has a pilot."""


def public_winner(proposal_id: int) -> PublicWinner | None:
    """The published winner entry for this proposal, with its challenge's archive address (one query), and its
    pilot's scorecard (a few more, however many milestones, measures and reports); None for anything else (a
    proposal that was withdrawn, not selected, unconsented or not yet announced has no winner entry)."""
    if not 0 < proposal_id <= MAX_ID:
        return None
    # Unordered: the model's default order (newest first) would make PostgreSQL walk every challenge entry by
    # date instead of looking this challenge's entry up by its index.
    challenge_url = ArchiveEntry.objects.filter(
        kind=EntryKind.CHALLENGE, challenge_id=OuterRef("challenge_id")
    ).order_by()
    entry = (
        ArchiveEntry.objects.filter(kind=EntryKind.WINNER, proposal_id=proposal_id)
        .annotate(challenge_url=Subquery(challenge_url.values("url")[:1]))
        .first()
    )
    if entry is None:
        return None
    scorecard = public_scorecards([proposal_id], today=timezone.localdate(), timeline=True).get(proposal_id)
    return PublicWinner(entry, entry.challenge_url or "", OUTCOME_COLOURS.get(entry.status, "green"), scorecard)
