"""A supplier's clarification question, posted through the real "ask" page: stored exactly as typed after the
documented normalisation (line breaks to LF, surrounding whitespace stripped), or shown again as typed with an
error the summary links to the field. Never a server error."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from clarifications.models import MAX_QUESTION_LENGTH, ClarificationQuestion
from tests.factories import UserFactory
from tests.fuzz.conftest import FUZZ, around, assert_error_linked, html, rolled_back, text

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]


def normalised(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


@pytest.fixture
def ask_page(client, demo_site):
    client.force_login(UserFactory(email="asker@supplier.example"))
    return demo_site.challenge, reverse("clarifications:ask", args=[demo_site.challenge.pk])


QUESTIONS = st.one_of(
    text(300),
    around(MAX_QUESTION_LENGTH, "q"),
    around(MAX_QUESTION_LENGTH, "\u00e9"),
    st.integers(MAX_QUESTION_LENGTH - 2, MAX_QUESTION_LENGTH + 2).map(lambda n: "a\r\n" * (n // 2)),
    st.just(" " * 5000),
)


@FUZZ
@given(question=QUESTIONS, extra=st.dictionaries(text(10), text(10), max_size=2))
def test_a_question_is_stored_as_typed_or_shown_again_with_an_error(client, ask_page, question, extra):
    challenge, url = ask_page
    with rolled_back():
        response = client.post(url, {**extra, "question": question})

        assert response.status_code in (302, 400), response.status_code
        stored = list(ClarificationQuestion.objects.filter(challenge=challenge).values_list("question", flat=True))
        expected = normalised(question)
        if expected and "\x00" not in question and len(expected) <= MAX_QUESTION_LENGTH:
            assert response.status_code == 302
            assert stored == [expected]
        else:
            assert response.status_code == 400
            assert stored == []
            assert_error_linked(response, "id_question")
            assert 'id="id_question-error"' in html(response)
            assert f">{escape(question)}</textarea>" in html(response), question
