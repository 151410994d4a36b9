"""What a challenge's public page shows from its published content, rendered once and kept (``core.kept``).

The problem statement, what is sought, who may apply, the questions and answers, the themes and the stages
change only when the page is published again (a new revision) or a theme is edited, each of which starts a new
generation; the key also carries the page's revision and publication time, so even a change that reached this
process late is never shown under an old key. The dates, the status and everything that follows from the clock
are read from the page row on every request. A preview renders the draft itself and keeps nothing.
"""

from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from core.kept import kept

from .stages import Stage


@dataclass(frozen=True)
class ChallengeContent:
    problem_statement: SafeString
    what_we_seek: SafeString
    eligibility: SafeString
    faqs: tuple[tuple[str, SafeString], ...]
    themes: tuple[str, ...]
    stages: tuple[Stage, ...]


def challenge_content(page, request=None) -> ChallengeContent:
    if page.pk is None or getattr(request, "is_preview", False):
        return _render(page, from_database=False)
    key = ("challenge-content", page.pk, page.live_revision_id, page.last_published_at)
    return kept(key, lambda: _render(page, from_database=True))


def _render(page, *, from_database: bool) -> ChallengeContent:
    if from_database:
        # The stages' questions and rubric (large JSON) are not shown here.
        stages = tuple(Stage.objects.filter(page=page).defer("questions", "rubric").order_by("sort_order", "pk"))
    else:
        stages = tuple(page.stage_list)
    return ChallengeContent(
        problem_statement=mark_safe("".join(block.render_as_block() for block in page.problem_statement)),
        what_we_seek=_rich_text(page.what_we_seek),
        eligibility=_rich_text(page.eligibility),
        faqs=tuple((faq.question, _rich_text(faq.answer)) for faq in page.faqs.all()),
        themes=tuple(theme.name for theme in page.themes.all()),
        stages=stages,
    )


def _rich_text(value: str) -> SafeString:
    from wagtail.templatetags.wagtailcore_tags import richtext  # reads the page model: not at import time

    return mark_safe(richtext(value or ""))
