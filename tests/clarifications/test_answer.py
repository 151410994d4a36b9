"""Answering publishes the answer, anonymised, on the challenge's FAQ and emails the asker once."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import Revision

from challenges.models import ChallengeFAQ, ChallengePage
from clarifications.models import ClarificationQuestion
from clarifications.services import clarification_answer, clarification_decline

QUESTION = "Asha from Okafor Analytics here: can a consortium of two SMEs apply together?"
FAQ_QUESTION = "Can a consortium of two SMEs apply together?"
ANSWER = "Yes. One organisation must lead & sign the contract.\n\nThe other can be a subcontractor."


@pytest.fixture
def question(ask, challenge, supplier):
    return ask(challenge, supplier, QUESTION)


def answer(question, manager, **kwargs):
    options = {"answer": ANSWER, "faq_question": FAQ_QUESTION, **kwargs}
    return clarification_answer(clarification=question, by=manager, **options)


@pytest.mark.django_db
def test_the_answer_is_published_on_the_live_page_without_the_asker(
    client, question, manager, challenge, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answered = answer(question, manager)

    assert answered.status == ClarificationQuestion.Status.ANSWERED
    assert answered.answered_by == manager
    faq = answered.published_faq
    assert faq.page_id == challenge.pk
    assert faq.question == FAQ_QUESTION
    assert (
        faq.answer
        == "<p>Yes. One organisation must lead &amp; sign the contract.</p>\n\n<p>The other can be a subcontractor.</p>"
    )

    page = ChallengePage.objects.get(pk=challenge.pk)
    assert page.live and not page.has_unpublished_changes
    assert page.live_revision.user == manager
    assert FAQ_QUESTION in [entry.question for entry in page.faqs.all()]

    html = client.get(page.url).content.decode()
    assert FAQ_QUESTION in html
    assert "One organisation must lead &amp; sign the contract." in html
    for secret in ("Asha", "Okafor", "asha@supplier.example"):
        assert secret not in html


@pytest.mark.django_db
def test_the_asker_is_emailed_the_answer_once_however_often_it_is_saved(
    question, manager, challenge, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = answer(question, manager)
    with django_capture_on_commit_callbacks(execute=True):
        again = answer(question, manager, answer="Yes. One organisation must lead.")

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["asha@supplier.example"]
    assert email.subject == "Your question about Prevent homelessness with data has been answered"
    assert "Dear Asha," in email.body
    assert "One organisation must lead & sign the contract." in email.body
    assert "published, without your name" in email.body
    assert "http://testserver/questions/mine/" in email.body
    assert "One organisation must lead &amp; sign the contract." in email.alternatives[0][0]

    assert again.published_faq_id == first.published_faq_id
    assert ChallengeFAQ.objects.filter(page=challenge, question=FAQ_QUESTION).count() == 1
    assert ChallengeFAQ.objects.get(pk=again.published_faq_id).answer == "<p>Yes. One organisation must lead.</p>"


@pytest.mark.django_db
def test_the_faq_uses_the_askers_wording_unless_the_manager_rewords_it(ask, challenge, supplier, manager):
    question = ask(challenge, supplier, "Is VAT included in the funding?")
    answered = clarification_answer(clarification=question, by=manager, answer="No.")
    assert answered.published_faq.question == "Is VAT included in the funding?"


@pytest.mark.django_db
def test_an_answer_can_go_to_the_asker_only(question, manager, challenge, django_capture_on_commit_callbacks):
    faqs_before = ChallengeFAQ.objects.filter(page=challenge).count()
    revisions_before = Revision.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        answered = answer(question, manager, publish=False)
    assert answered.published_faq is None
    assert ChallengeFAQ.objects.filter(page=challenge).count() == faqs_before
    assert Revision.objects.count() == revisions_before
    assert len(mail.outbox) == 1
    assert "published, without your name" not in mail.outbox[0].body


@pytest.mark.django_db
def test_unpublishing_an_answer_takes_its_faq_off_the_page(question, manager, challenge):
    published = answer(question, manager)
    faq_pk = published.published_faq_id
    unpublished = answer(question, manager, publish=False)
    assert unpublished.published_faq is None
    assert not ChallengeFAQ.objects.filter(pk=faq_pk).exists()


@pytest.mark.django_db
def test_a_managers_unpublished_draft_is_kept_and_gets_the_faq_too(question, manager, challenge):
    draft = ChallengePage.objects.get(pk=challenge.pk)
    draft.summary = "A draft summary the manager is still working on."
    draft.save_revision(user=manager)

    answer(question, manager)

    page = ChallengePage.objects.get(pk=challenge.pk)
    assert page.summary != "A draft summary the manager is still working on."
    assert FAQ_QUESTION in [entry.question for entry in page.faqs.all()]
    assert page.has_unpublished_changes
    latest = page.get_latest_revision_as_object()
    assert latest.summary == "A draft summary the manager is still working on."
    assert FAQ_QUESTION in [entry.question for entry in latest.faqs.all()]

    # Publishing the draft later keeps the answer on the page.
    page.get_latest_revision().publish(user=manager)
    assert FAQ_QUESTION in [entry.question for entry in ChallengePage.objects.get(pk=challenge.pk).faqs.all()]


@pytest.mark.django_db
def test_a_question_too_long_for_the_faq_must_be_shortened(ask, challenge, supplier, manager):
    question = ask(challenge, supplier, ("Why? " * 80).strip())
    with pytest.raises(ValidationError) as error:
        clarification_answer(clarification=question, by=manager, answer="Because.")
    assert error.value.message_dict == {
        "faq_question": ["The question on the challenge page must be 300 characters or less: shorten it (it has 399)"]
    }
    question.refresh_from_db()
    assert question.status == ClarificationQuestion.Status.NEW
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_answer_is_required(question, manager):
    with pytest.raises(ValidationError) as error:
        answer(question, manager, answer="  ")
    assert error.value.message_dict == {"answer": ["Enter an answer"]}


@pytest.mark.django_db
def test_declining_emails_the_asker_a_short_note(question, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        declined = clarification_decline(clarification=question, by=manager, reason="This is answered in the FAQ.")
    with django_capture_on_commit_callbacks(execute=True):
        clarification_decline(clarification=question, by=manager, reason="This is answered in the FAQ.")
    assert declined.status == ClarificationQuestion.Status.DECLINED
    assert declined.published_faq is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Your question about Prevent homelessness with data will not be answered"
    assert "This is answered in the FAQ." in mail.outbox[0].body


@pytest.mark.django_db
def test_an_answered_question_cannot_be_declined(question, manager):
    answer(question, manager)
    with pytest.raises(ValidationError) as error:
        clarification_decline(clarification=question, by=manager)
    assert error.value.messages == ["This question has already been answered, so it cannot be declined."]


@pytest.mark.django_db
def test_another_sponsors_manager_cannot_answer_or_decline(question, council, challenge):
    _, _, other_manager = council
    with pytest.raises(PermissionDenied):
        answer(question, other_manager)
    with pytest.raises(PermissionDenied):
        clarification_decline(clarification=question, by=other_manager)
    question.refresh_from_db()
    assert question.status == ClarificationQuestion.Status.NEW
    assert not ChallengeFAQ.objects.filter(page=challenge, question=FAQ_QUESTION).exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_question_survives_the_askers_account_being_deleted(question, supplier, manager):
    supplier.delete()
    answered = answer(question, manager)
    assert answered.asked_by is None
    assert answered.published_faq is not None
    assert mail.outbox == []
