"""Atom feeds: newly published challenges, and announced winners.

Each feed builds plain ``Entry`` values from the request first (absolute links need the host), so the shared
``Feed`` instance keeps no per-request state. Entries carry the sponsor as author and the themes as categories.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from judging.selectors.public import public_award

from .rows import page_url, winner_url
from .schema import LICENCE_NAME
from .selectors import newest_awards, newest_published_challenges

FEED_LENGTH = 50


@dataclass(frozen=True)
class Entry:
    title: str
    link: str
    description: str
    published: datetime
    updated: datetime
    author_name: str
    author_link: str | None
    categories: tuple[str, ...]


class OpenDataFeed(Feed):
    feed_type = Atom1Feed
    language = "en-GB"

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        patch_cache_control(response, public=True, max_age=300)
        return response

    def get_object(self, request, *args, **kwargs):
        return request

    def author_name(self) -> str:
        return settings.WAGTAIL_SITE_NAME

    def feed_copyright(self) -> str:
        return f"Published under the {LICENCE_NAME}."

    def item_title(self, item: Entry) -> str:
        return item.title

    def item_link(self, item: Entry) -> str:
        return item.link

    def item_description(self, item: Entry) -> str:
        """Atom carries the description as HTML; ours is plain text, so a ``<`` in a summary stays a ``<``."""
        return escape(item.description)

    def item_pubdate(self, item: Entry) -> datetime:
        return item.published

    def item_updateddate(self, item: Entry) -> datetime:
        return item.updated

    def item_author_name(self, item: Entry) -> str:
        return item.author_name

    def item_author_link(self, item: Entry) -> str | None:
        return item.author_link

    def item_categories(self, item: Entry) -> tuple[str, ...]:
        return item.categories


class ChallengesFeed(OpenDataFeed):
    subtitle = "Challenges from UK cities and regions, newest first."

    def title(self) -> str:
        return f"{settings.WAGTAIL_SITE_NAME}: new challenges"

    def link(self) -> str:
        return reverse("archive:search")

    def items(self, request) -> list[Entry]:
        return [
            Entry(
                title=challenge.title,
                link=page_url(challenge, request),
                description=challenge.summary,
                published=challenge.first_published_at or challenge.last_public_change,
                updated=challenge.last_public_change,
                author_name=challenge.sponsor.name,
                author_link=challenge.sponsor.website or None,
                categories=tuple(theme.name for theme in challenge.themes.all()),
            )
            for challenge in newest_published_challenges(limit=FEED_LENGTH)
        ]


class WinnersFeed(OpenDataFeed):
    subtitle = "Winners and highly commended proposals, as each challenge announces them."

    def title(self) -> str:
        return f"{settings.WAGTAIL_SITE_NAME}: winners"

    def link(self) -> str:
        return reverse("archive:winners")

    def items(self, request) -> list[Entry]:
        entries = []
        for proposal in newest_awards(limit=FEED_LENGTH):
            challenge = proposal.challenge
            award = public_award(proposal)
            named = f"{award.title}, by {award.organisation}" if award.consented else award.organisation
            summary = f" {award.summary}" if award.summary else ""
            entries.append(
                Entry(
                    title=f"{award.award_label}: {named}",
                    link=winner_url(proposal, request),
                    description=f"{award.award_label} of “{challenge.title}”.{summary} Why: {award.rationale}",
                    published=challenge.announced_at,
                    updated=challenge.announced_at,
                    author_name=challenge.sponsor.name,
                    author_link=challenge.sponsor.website or None,
                    categories=tuple(theme.name for theme in challenge.themes.all()),
                )
            )
        return entries
