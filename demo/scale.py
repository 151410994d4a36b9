"""Bulk-generated challenges for benchmarks: thousands of rows in seconds, not one revision each."""

import random
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Locale, Page

from challenges.models import ChallengeIndexPage, ChallengePage, Sponsor, Stage, Theme
from challenges.stages import single_stage

from .builder import stream

WORDS = [
    "data",
    "homes",
    "transport",
    "skills",
    "care",
    "streets",
    "parks",
    "waste",
    "energy",
    "libraries",
    "schools",
    "markets",
    "housing",
    "safety",
    "health",
    "buses",
    "cycling",
    "benefits",
    "digital",
    "youth",
    "air",
    "water",
    "jobs",
    "repairs",
    "community",
]


def free_slug(parent: Page, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever no child of ``parent`` has yet."""
    taken = set(Page.objects.child_of(parent).values_list("slug", flat=True))
    return next(slug for slug in (base, *(f"{base}-{n}" for n in range(2, len(taken) + 3))) if slug not in taken)


def closed_challenge(parent: Page, *, title: str, slug: str, summary: str, now, **fields) -> ChallengePage:
    """Add a generated challenge under ``parent`` that opened 60 days and closed 30 days before ``now``."""
    challenge = ChallengePage(
        title=title,
        slug=free_slug(parent, slug),
        summary=summary,
        sponsor=sponsor_for(parent),
        problem_statement=[],
        what_we_seek="<p>Generated.</p>",
        eligibility="<p>Generated.</p>",
        funding_available=0,
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=30),
        stages=[single_stage(now - timedelta(days=60), now - timedelta(days=30), rubric=fields.pop("rubric", ()))],
        **fields,
    )
    parent.add_child(instance=challenge)
    return challenge


def sponsor_for(parent: Page) -> Sponsor:
    """The sponsor of the section a generated challenge goes in, or a benchmark sponsor outside any section."""
    sponsor = getattr(parent.specific, "sponsor", None)
    if sponsor is None:
        sponsor, _ = Sponsor.objects.get_or_create(
            slug="benchmark-ca", defaults={"name": "Benchmark Combined Authority"}
        )
    return sponsor


@transaction.atomic
def add_generated_challenges(*, section: ChallengeIndexPage, count: int, seed: int = 2027) -> int:
    """Append ``count`` live challenges under ``section`` with bulk inserts.

    Wagtail pages use multi-table inheritance, which ``bulk_create`` refuses, so
    the base ``Page`` rows go in one bulk insert with their tree paths computed
    here, and each challenge row is then written with ``save_base(raw=True)``,
    which touches only the challenge table. Search and reference indexes are
    not updated; rebuild them afterwards if a benchmark needs them.
    """
    rng = random.Random(seed)
    themes = list(Theme.objects.all())
    locale = Locale.get_default()
    section = ChallengeIndexPage.objects.select_for_update().get(pk=section.pk)
    start = section.numchild
    now = timezone.now()
    existing = set(Page.objects.child_of(section).values_list("slug", flat=True))
    content_type = ContentType.objects.get_for_model(ChallengePage)

    pages, details = [], []
    for offset in range(count):
        number = start + offset + 1
        title = f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} challenge {number}"
        slug = slugify(title)
        while slug in existing:
            slug = f"{slug}-{number}"
        existing.add(slug)
        opens = now + timedelta(days=rng.randint(-1500, 60))
        closes = opens + timedelta(days=rng.randint(20, 90))
        judging = closes + timedelta(days=rng.randint(3, 14))
        announce = judging + timedelta(days=rng.randint(20, 60))
        pages.append(
            Page(
                title=title,
                draft_title=title,
                slug=slug,
                path=Page._get_path(section.path, section.depth + 1, number),
                depth=section.depth + 1,
                numchild=0,
                url_path=f"{section.url_path}{slug}/",
                content_type=content_type,
                locale=locale,
                live=True,
                first_published_at=opens,
                last_published_at=opens,
            )
        )
        details.append((opens, closes, judging, announce, rng.sample(themes, k=min(2, len(themes)))))

    Page.objects.bulk_create(pages, batch_size=1000)
    through = ChallengePage.themes.through
    links = []
    stages = []
    for page, (opens, closes, judging, announce, page_themes) in zip(pages, details, strict=True):
        challenge = ChallengePage(
            page_ptr_id=page.pk,
            summary=f"A generated challenge about {page.title.lower()}.",
            sponsor_id=section.sponsor_id,
            problem_statement=stream([("paragraph", "<p>Generated for load testing.</p>")]),
            what_we_seek="<p>Generated.</p>",
            eligibility="<p>Generated.</p>",
            funding_available=rng.randrange(10000, 200000, 5000),
            opens_at=opens,
            closes_at=closes,
            judging_starts_at=judging,
            judging_ends_at=judging + timedelta(days=14),
            announce_at=announce,
        )
        challenge.save_base(raw=True)
        stage = single_stage(opens, closes)
        stage.page_id = page.pk
        stages.append(stage)
        links.extend(through(challengepage_id=page.pk, theme_id=theme.pk) for theme in page_themes)
    through.objects.bulk_create(links, batch_size=2000)
    Stage.objects.bulk_create(stages, batch_size=2000)
    ChallengeIndexPage.objects.filter(pk=section.pk).update(numchild=start + count)
    return count
