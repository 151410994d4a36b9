"""Publishing an answer on a challenge page's FAQ, as a new revision of the page.

The change goes through Wagtail's revisions, not around them, so the page history shows who added the FAQ
and when, search and caches are updated as for any publication, and a later edit of the page starts from
content that includes it.
"""

from django.db.models import Max
from django.utils.html import linebreaks

from challenges.models import ChallengeFAQ, ChallengePage


def answer_as_rich_text(answer: str) -> str:
    """The manager's plain-text answer as the FAQ's rich text: paragraphs and line breaks, everything escaped."""
    return linebreaks(answer, autoescape=True)


def faq_publish(*, challenge: ChallengePage, faq: ChallengeFAQ | None, question: str, answer: str, by) -> ChallengeFAQ:
    """Add (or, given ``faq``, update) one FAQ entry on the live page and publish the page as a new revision.

    A manager's unpublished draft of the page is kept: the entry is added to the draft too, and the draft
    stays the latest revision, so the editor neither loses their work nor loses the FAQ when they publish
    it. Someone with the page editor open at this moment who then publishes will remove the entry, as
    with any two people editing one page at once; the page history shows both changes.
    """
    page = ChallengePage.objects.get(pk=challenge.pk)
    draft = page.get_latest_revision_as_object() if page.has_unpublished_changes else None

    if faq is None:
        last = ChallengeFAQ.objects.filter(page=page).aggregate(last=Max("sort_order"))["last"]
        faq = ChallengeFAQ(page=page, sort_order=0 if last is None else last + 1)
    faq.question = question
    faq.answer = answer_as_rich_text(answer)
    faq.full_clean()
    faq.save()
    _publish_live_content(page, by)

    if draft is not None:
        entries = [entry for entry in draft.faqs.all() if entry.pk != faq.pk]
        copy = ChallengeFAQ(pk=faq.pk, question=faq.question, answer=faq.answer, sort_order=faq.sort_order)
        position = next((i for i, entry in enumerate(draft.faqs.all()) if entry.pk == faq.pk), len(entries))
        entries.insert(position, copy)
        _save_draft(draft, entries, by)
    return faq


def faq_remove(*, challenge: ChallengePage, faq: ChallengeFAQ, by) -> None:
    """Take an entry off the live page (and off any draft), publishing the page as a new revision."""
    page = ChallengePage.objects.get(pk=challenge.pk)
    draft = page.get_latest_revision_as_object() if page.has_unpublished_changes else None
    removed_pk = faq.pk
    faq.delete()
    _publish_live_content(page, by)
    if draft is not None:
        _save_draft(draft, [entry for entry in draft.faqs.all() if entry.pk != removed_pk], by)


def _publish_live_content(page: ChallengePage, by) -> None:
    """Publish the page's stored (live) content, which now includes the change to its FAQ rows."""
    page.save_revision(user=by, log_action=True).publish(user=by)


def _save_draft(draft: ChallengePage, faqs: list[ChallengeFAQ], by) -> None:
    draft.faqs = faqs
    # The draft was saved by its editor already; only the FAQ changed, so it is not validated again.
    draft.save_revision(user=by, log_action=True, clean=False)
