"""A signed-in supplier asks a question about an open challenge, and finds it again under "Your questions"."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clarifications.models import ClarificationQuestion
from clarifications.services import clarification_ask
from tests.factories import ChallengePageFactory, UserFactory
from tests.factories.challenges import move_window


def ask_url(challenge) -> str:
    return reverse("clarifications:ask", args=(challenge.pk,))


@pytest.mark.django_db
def test_the_form_has_a_labelled_character_count_and_says_answers_may_be_published(supplier_client, challenge):
    response = supplier_client.get(ask_url(challenge))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-module="govuk-character-count" data-maxlength="1000"' in html
    assert '<label class="govuk-label govuk-label--m" for="id_question">Your question</label>' in html
    assert "may be published on the challenge page" in html
    assert "We never publish your name" in html
    assert "You can enter up to 1,000 characters" in html


@pytest.mark.django_db
def test_a_supplier_asks_and_goes_back_to_the_challenge_with_a_confirmation(supplier_client, supplier, challenge):
    response = supplier_client.post(ask_url(challenge), {"question": "  Can a consortium apply?\r\nTwo SMEs.  "})

    assert response.status_code == 302
    assert response.url == challenge.url
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Your question has been sent. We'll email you when it is answered."
    ]
    question = ClarificationQuestion.objects.get()
    assert question.challenge_id == challenge.pk
    assert question.asked_by == supplier
    assert question.question == "Can a consortium apply?\nTwo SMEs."
    assert question.status == ClarificationQuestion.Status.NEW


@pytest.mark.django_db
def test_someone_signed_out_is_sent_to_sign_in_first(client, challenge):
    url = ask_url(challenge)
    for response in (client.get(url), client.post(url, {"question": "Hello?"})):
        assert response.status_code == 302
        assert response.url == f"{reverse('account_login')}?next={url}"
    assert not ClarificationQuestion.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("opens", "closes"),
    [(timedelta(days=-30), timedelta(days=-1)), (timedelta(days=3), timedelta(days=30))],
    ids=["closed", "upcoming"],
)
def test_a_challenge_that_is_not_open_takes_no_questions(supplier_client, sponsor_index, sponsor, opens, closes):
    now = timezone.now()
    challenge = ChallengePageFactory(
        parent=sponsor_index, sponsor=sponsor, opens_at=now + opens, closes_at=now + closes
    )

    page = supplier_client.get(ask_url(challenge))
    assert page.status_code == 403
    assert "Questions about this challenge are closed" in page.content.decode()
    assert "This challenge is not open, so it is not taking questions." in page.content.decode()
    assert "<textarea" not in page.content.decode()

    refused = supplier_client.post(ask_url(challenge), {"question": "Too late?"})
    assert refused.status_code == 403
    assert "Questions about this challenge are closed" in refused.content.decode()
    assert not ClarificationQuestion.objects.exists()


@pytest.mark.django_db
def test_a_draft_challenge_is_not_found(supplier_client, sponsor_index, sponsor):
    draft = ChallengePageFactory(parent=sponsor_index, sponsor=sponsor, live=False)
    assert supplier_client.get(ask_url(draft)).status_code == 404


@pytest.mark.django_db
def test_an_over_long_question_is_refused_and_the_text_is_kept(supplier_client, challenge):
    typed = "Can we " + "really " * 142 + "apply?"
    assert len(typed) > 1000

    response = supplier_client.post(ask_url(challenge), {"question": typed})

    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Error: Ask a question" in html
    assert '<a href="#id_question">Your question must be 1,000 characters or less</a>' in html
    assert 'class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Your question must be' in html
    assert 'aria-describedby="id_question-info id_question-hint id_question-error"' in html
    assert f">{typed}</textarea>" in html
    assert not ClarificationQuestion.objects.exists()


@pytest.mark.django_db
def test_line_breaks_count_as_one_character_as_in_the_character_count(supplier_client, challenge):
    typed = "\r\n".join(["a" * 99] * 10)  # 990 letters and 9 line breaks: 999 characters as the supplier saw it
    response = supplier_client.post(ask_url(challenge), {"question": typed})
    assert response.status_code == 302
    assert len(ClarificationQuestion.objects.get().question) == 999


@pytest.mark.django_db
def test_an_empty_question_is_refused(supplier_client, challenge):
    response = supplier_client.post(ask_url(challenge), {"question": "   "})
    assert response.status_code == 400
    assert '<a href="#id_question">Enter your question</a>' in response.content.decode()


@pytest.mark.django_db
def test_the_service_checks_the_clock_itself(challenge, supplier):
    """A form opened before the deadline and sent after it is refused."""
    move_window(challenge, closes_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError) as error:
        clarification_ask(challenge=challenge, by=supplier, question="Just in time?")
    assert error.value.messages == ["This challenge is not open, so it is not taking questions."]


@pytest.mark.django_db
def test_your_questions_lists_only_yours_with_their_status_and_answers(supplier_client, supplier, challenge, ask):
    ask(challenge, supplier, "Is VAT included?")
    answered = ask(challenge, supplier, "Can a consortium apply?")
    answered.status, answered.answer, answered.answered_at = "answered", "Yes, with one lead.", timezone.now()
    answered.save()
    ask(challenge, UserFactory(email="rival@example.org"), "Someone else's question")

    response = supplier_client.get(reverse("clarifications:mine"))

    html = response.content.decode()
    assert "Is VAT included?" in html
    assert "Waiting for an answer" in html
    assert "Can a consortium apply?" in html
    assert "Yes, with one lead." in html
    assert "Someone else&#x27;s question" not in html
    assert html.count('class="govuk-summary-card"') == 2


@pytest.mark.django_db
def test_your_questions_takes_the_same_queries_however_many_there_are(supplier_client, supplier, challenge, ask):
    url = reverse("clarifications:mine")
    ask(challenge, supplier)
    supplier_client.get(url)
    with CaptureQueriesContext(connection) as few:
        supplier_client.get(url)
    for _ in range(6):
        ask(challenge, supplier)
    with CaptureQueriesContext(connection) as many:
        supplier_client.get(url)
    assert len(many) == len(few)


@pytest.mark.django_db
def test_your_questions_needs_signing_in(client):
    response = client.get(reverse("clarifications:mine"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
