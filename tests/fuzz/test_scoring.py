"""A judge's scoring form, posted through the real review page with "Save draft" and "Submit review".

Scores outside the scale, wrong choices, unicode, NUL bytes, HTML and very long comments never give a server
error. A valid draft is stored exactly (comments stripped of surrounding whitespace, as the form documents); a
submission that is complete is submitted; anything else is shown again as typed, with each error linked from
the summary to its field, and an incomplete submission keeps the draft.
"""

import pytest
from django.urls import reverse
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from judging.forms import COMMENT_LIMIT
from judging.models import Review, ReviewStatus, Score
from tests.fuzz.conftest import FUZZ, around, assert_error_linked, html, rolled_back, text
from tests.judging.buttons import press
from tests.judging.conftest import scene  # noqa: F401  (the judging scene fixture)

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

CRITERIA = {"impact": (5, True), "delivery": (5, False)}
"""Criterion id: (scale maximum, comment required), as tests.factories.judging.RUBRIC defines them."""


@pytest.fixture
def review_page(client, scene):  # noqa: F811
    client.force_login(scene.judges[0])
    return scene.review, reverse("judging:review", args=[scene.review.assignment_id])


SCORES = st.one_of(
    st.integers(-2, 7).map(str),
    st.sampled_from(["", " 3", "3.0", "03", "1e0", "٣", "5\x00", "99999999999999999999", "-0", "None"]),
    text(8),
)
COMMENTS = st.one_of(text(100), around(COMMENT_LIMIT, "c"), around(COMMENT_LIMIT, "\u00e9"), st.just("  \n "))


@st.composite
def marks(draw) -> dict:
    data = {}
    for key in CRITERIA:
        if draw(st.integers(0, 9)):
            data[f"score-{key}"] = draw(SCORES)
        if draw(st.integers(0, 9)):
            data[f"comment-{key}"] = draw(COMMENTS)
    return data


def valid_score(raw: str, scale: int) -> bool:
    return raw == "" or raw in {str(n) for n in range(scale + 1)}


def valid_comment(raw: str) -> bool:
    return "\x00" not in raw and len(raw.strip()) <= COMMENT_LIMIT


@FUZZ
@given(data=marks(), action=st.sampled_from(["save", "submit"]))
def test_scores_are_stored_as_sent_or_shown_again_with_errors(client, review_page, data, action):
    review, _ = review_page
    with rolled_back():
        response = press(client, review.assignment_id, {**data, "action": action})

        assert response.status_code in (302, 400), response.status_code
        page = html(response)
        sent = {key: (data.get(f"score-{key}", ""), data.get(f"comment-{key}", "")) for key in CRITERIA}
        form_valid = all(valid_score(s, CRITERIA[k][0]) and valid_comment(c) for k, (s, c) in sent.items())
        complete = all(s != "" and (not CRITERIA[k][1] or c.strip()) for k, (s, c) in sent.items())
        stored = {score.criterion_id: (score.value, score.comment) for score in Score.objects.filter(review=review)}
        status = Review.objects.get(pk=review.pk).status

        if form_valid and (action == "save" or complete):
            assert response.status_code == 302
            assert status == (ReviewStatus.SUBMITTED if action == "submit" else ReviewStatus.DRAFT)
            for key, (score, comment) in sent.items():
                assert stored.get(key, (None, "")) == (int(score) if score else None, comment.strip()), key
            return

        assert response.status_code == 400
        assert status == ReviewStatus.DRAFT
        for key, (score, comment) in sent.items():
            if not valid_score(score, CRITERIA[key][0]):
                assert_error_linked(response, f"score-{key}")
            elif not valid_comment(comment):
                assert_error_linked(response, f"comment-{key}")
            assert f">{escape(comment)}</textarea>" in page or f">{escape(comment.strip())}</textarea>" in page
            if valid_score(score, CRITERIA[key][0]) and score:
                assert f'value="{score}" checked' in page, score
        if form_valid:
            assert action == "submit" and not complete
            assert any(f'href="#score-{key}"' in page or f'href="#comment-{key}"' in page for key in CRITERIA)
            for key, (score, comment) in sent.items():
                assert stored.get(key, (None, "")) == (int(score) if score else None, comment.strip()), key
        else:
            assert stored == {}
