"""Writes for clarification questions: a supplier asks; a challenge manager answers (publishing the answer,
anonymised, on the challenge's FAQ) or declines; the asker is emailed either way."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from challenges.models import ChallengeFAQ, ChallengePage
from notifications.services import notify

from .faq import faq_publish, faq_remove
from .models import ClarificationQuestion
from .permissions import QUESTIONS_CLOSED, can_answer, is_taking_questions

FAQ_QUESTION_MAX_LENGTH = ChallengeFAQ._meta.get_field("question").max_length


def normalise_text(text: str) -> str:
    """Browsers send line breaks as CRLF; counting them as one character keeps the limit the same as the
    character count the supplier saw while typing."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def clarification_ask(*, challenge: ChallengePage, by, question: str) -> ClarificationQuestion:
    """Record a supplier's question. Only while the challenge is live and open by the server's clock, so a
    form left open past the deadline cannot slip a question in late."""
    if not is_taking_questions(challenge):
        raise ValidationError(QUESTIONS_CLOSED)
    clarification = ClarificationQuestion(challenge=challenge, asked_by=by, question=normalise_text(question))
    clarification.full_clean()
    clarification.save()
    return clarification


@transaction.atomic
def clarification_answer(
    *,
    clarification: ClarificationQuestion,
    by,
    answer: str,
    publish: bool = True,
    faq_question: str | None = None,
) -> ClarificationQuestion:
    """Record the answer and email the asker; with ``publish``, also put it on the challenge page's FAQ.

    The FAQ entry is anonymous: its question is ``faq_question`` as the manager worded it (by default the
    asker's own words) and nothing about the asker is published. Answering again corrects the answer: the
    same FAQ entry is updated (or, without ``publish``, taken down) rather than a second one added, and the
    asker is not emailed a second time. The row is locked, so a double-submitted form does the same.
    """
    clarification = _locked(clarification)
    _check_permission(by, clarification)
    answer = normalise_text(answer)
    faq_question = clarification.question if faq_question is None else normalise_text(faq_question)
    _validate_answer(clarification, answer=answer, publish=publish, faq_question=faq_question)

    faq = clarification.published_faq
    if publish:
        faq = faq_publish(challenge=clarification.challenge, faq=faq, question=faq_question, answer=answer, by=by)
    elif faq is not None:
        faq_remove(challenge=clarification.challenge, faq=faq, by=by)
        faq = None

    clarification.answer = answer
    clarification.status = ClarificationQuestion.Status.ANSWERED
    clarification.answered_at = timezone.now()
    clarification.answered_by = by
    clarification.published_faq = faq
    clarification.full_clean()
    clarification.save()
    _email_asker(clarification, event="answered")
    return clarification


@transaction.atomic
def clarification_decline(*, clarification: ClarificationQuestion, by, reason: str = "") -> ClarificationQuestion:
    """Decline to answer (a duplicate, or a question about one supplier's own bid), telling the asker why.

    An answered question cannot be declined: its answer may already be on the challenge page.
    """
    clarification = _locked(clarification)
    _check_permission(by, clarification)
    if clarification.status == ClarificationQuestion.Status.ANSWERED:
        raise ValidationError("This question has already been answered, so it cannot be declined.")
    clarification.answer = normalise_text(reason)
    clarification.status = ClarificationQuestion.Status.DECLINED
    clarification.answered_at = timezone.now()
    clarification.answered_by = by
    clarification.full_clean()
    clarification.save()
    _email_asker(clarification, event="declined")
    return clarification


def _locked(clarification: ClarificationQuestion) -> ClarificationQuestion:
    return (
        ClarificationQuestion.objects.select_for_update(of=("self",))
        .select_related("challenge", "asked_by", "published_faq")
        .get(pk=clarification.pk)
    )


def _check_permission(user, clarification: ClarificationQuestion) -> None:
    allowed, reason = can_answer(user, clarification)
    if not allowed:
        raise PermissionDenied(reason)


def _validate_answer(clarification: ClarificationQuestion, *, answer: str, publish: bool, faq_question: str) -> None:
    errors = {}
    if not answer:
        errors["answer"] = "Enter an answer"
    if publish:
        if not faq_question:
            errors["faq_question"] = "Enter the question as it will appear on the challenge page"
        elif len(faq_question) > FAQ_QUESTION_MAX_LENGTH:
            errors["faq_question"] = (
                f"The question on the challenge page must be {FAQ_QUESTION_MAX_LENGTH} characters or less: "
                f"shorten it (it has {len(faq_question):,})"
            )
        if not clarification.challenge.live:
            errors["publish"] = (
                "This challenge is not published, so the answer cannot go on its page. "
                "Untick this box to email the answer to the asker only."
            )
    if errors:
        raise ValidationError(errors)


def _email_asker(clarification: ClarificationQuestion, *, event: str) -> None:
    """Tell the asker, once per event however often this runs; nothing to do if their account has gone."""
    asker = clarification.asked_by
    if asker is None or not asker.email:
        return
    challenge = clarification.challenge
    site_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    notify(
        to=asker.email,
        template=f"clarifications/email/{event}",
        key=f"clarification-{event}:{clarification.pk}",
        context={
            "first_name": asker.first_name,
            "challenge_title": challenge.title,
            "challenge_url": challenge.get_full_url() or site_url,
            "question": clarification.question,
            "answer": clarification.answer,
            "published": clarification.published_faq_id is not None,
            "my_questions_url": site_url + reverse("clarifications:mine"),
        },
    )
