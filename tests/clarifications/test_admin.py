"""Challenge managers answer questions in the Wagtail admin, and only about their own sponsor's challenges."""

import pytest
from django.core import mail
from django.urls import reverse

from challenges.models import ChallengeFAQ
from clarifications.models import ClarificationQuestion
from tests.clarifications.conftest import with_two_factor
from tests.factories import UserFactory

INDEX_URL = "clarification_questions:index"


def answer_url(question) -> str:
    return reverse("clarification_questions:answer", args=(question.pk,))


@pytest.fixture
def questions(ask, challenge, council, supplier):
    """One question about each sponsor's challenge."""
    _, their_challenge, _ = council
    ours = ask(challenge, supplier, "Can a consortium apply?")
    theirs = ask(their_challenge, supplier, "Is the Brindleford pilot citywide?")
    return ours, theirs


@pytest.mark.django_db
def test_a_manager_lists_only_their_own_sponsors_questions(manager_client, questions):
    response = manager_client.get(reverse(INDEX_URL))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Can a consortium apply?" in html
    assert "Prevent homelessness with data" in html
    assert "Is the Brindleford pilot citywide?" not in html
    assert "Warm homes" not in html
    assert answer_url(questions[0]) in html
    assert "asha@supplier.example" not in html


@pytest.mark.django_db
def test_the_other_sponsors_manager_sees_theirs(client, council, questions):
    _, _, other_manager = council
    client.force_login(other_manager)
    html = client.get(reverse(INDEX_URL)).content.decode()
    assert "Is the Brindleford pilot citywide?" in html
    assert "Can a consortium apply?" not in html


@pytest.mark.django_db
def test_a_site_administrator_sees_every_sponsors_questions(client, questions):
    admin = with_two_factor(UserFactory(email="admin@example.org", is_superuser=True, is_staff=True))
    client.force_login(admin)
    html = client.get(reverse(INDEX_URL)).content.decode()
    assert "Can a consortium apply?" in html
    assert "Is the Brindleford pilot citywide?" in html


@pytest.mark.django_db
def test_the_menu_item_shows_to_managers(manager_client, questions):
    html = manager_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Clarification questions" in html


@pytest.mark.django_db
def test_a_manager_cannot_open_or_answer_another_sponsors_question(manager_client, questions):
    _, theirs = questions
    assert manager_client.get(answer_url(theirs)).status_code in (302, 403)
    response = manager_client.post(
        answer_url(theirs), {"action": "answer", "answer": "Hijacked", "faq_question": "Hijacked?", "publish": "on"}
    )
    assert response.status_code in (302, 403)
    manager_client.post(answer_url(theirs), {"action": "decline", "answer": "No."})
    theirs.refresh_from_db()
    assert theirs.status == ClarificationQuestion.Status.NEW
    assert not ChallengeFAQ.objects.filter(question="Hijacked?").exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_people_who_publish_nothing_cannot_open_the_list(client, questions):
    client.force_login(with_two_factor(UserFactory(email="someone@example.org")))
    assert client.get(reverse(INDEX_URL)).status_code in (302, 403)


@pytest.mark.django_db
def test_a_manager_answers_and_publishes_from_the_admin(
    manager_client, questions, challenge, django_capture_on_commit_callbacks
):
    ours, _ = questions
    form = manager_client.get(answer_url(ours))
    assert form.status_code == 200
    html = form.content.decode()
    assert "Can a consortium apply?</textarea>" in html
    assert "Decline the question" in html

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            answer_url(ours),
            {
                "action": "answer",
                "answer": "Yes, with one lead organisation.",
                "faq_question": "Can consortia apply?",
                "publish": "on",
            },
        )

    assert response.status_code == 302
    assert response.url == reverse(INDEX_URL)
    ours.refresh_from_db()
    assert ours.status == ClarificationQuestion.Status.ANSWERED
    assert ours.published_faq.question == "Can consortia apply?"
    assert ours.published_faq.page_id == challenge.pk
    assert len(mail.outbox) == 1
    followed = manager_client.get(response.url).content.decode()
    assert "Answer published on the challenge page. The asker has been emailed." in followed


@pytest.mark.django_db
def test_a_manager_declines_from_the_admin(manager_client, questions, django_capture_on_commit_callbacks):
    ours, _ = questions
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(answer_url(ours), {"action": "decline", "answer": "See the FAQ."})
    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.status == ClarificationQuestion.Status.DECLINED
    assert ours.answer == "See the FAQ."
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_bad_answer_is_explained_and_what_was_typed_is_kept(manager_client, questions):
    ours, _ = questions
    long_question = "Can consortia apply? " * 20
    response = manager_client.post(
        answer_url(ours),
        {"action": "answer", "answer": "", "faq_question": long_question, "publish": "on"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["answer"] == ["Enter an answer"]
    assert errors["faq_question"][0].startswith("The question on the challenge page must be 300 characters or less")
    assert long_question.strip() in response.content.decode()
    ours.refresh_from_db()
    assert ours.status == ClarificationQuestion.Status.NEW
