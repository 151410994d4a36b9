"""The answer rules: each kind of question, its clear messages, and no server error for any input."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from submissions.questions import Question, clean_answer, sections_from_raw
from tests.factories.submissions import standard_question_set

QUESTIONS = {
    "short_text": Question("a", "short_text", "Name", options={"max_length": 10}),
    "long_text": Question("b", "long_text", "Describe", options={"word_limit": 5}),
    "number": Question("c", "number", "Cost", options={"min_value": Decimal("0"), "max_value": Decimal("100")}),
    "single_choice": Question("d", "single_choice", "Stage", options={"choices": ["Idea", "Prototype"]}),
    "multiple_choice": Question("e", "multiple_choice", "Who", options={"choices": ["Residents", "Staff"]}),
    "yes_no": Question("f", "yes_no", "Ready?"),
    "date": Question("g", "date", "Start"),
    "declaration": Question("h", "declaration", "Declaration", options={"statement": "We agree."}),
}


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("short_text", "  Finder  ", "Finder"),
        ("long_text", "one two three", "one two three"),
        ("number", "£99.50", "99.5"),
        ("number", "100", "100"),
        ("single_choice", "Idea", "Idea"),
        ("multiple_choice", ["Staff", "Residents", "Staff"], ["Staff", "Residents"]),
        ("yes_no", "no", "no"),
        ("date", {"day": "29", "month": "2", "year": "2028"}, "2028-02-29"),
        ("declaration", "confirmed", True),
        ("short_text", "", None),
        ("date", {"day": "", "month": "", "year": ""}, None),
    ],
)
def test_good_answers_are_stored_in_a_plain_form(kind, raw, expected):
    assert clean_answer(QUESTIONS[kind], raw) == expected


@pytest.mark.parametrize(
    ("kind", "raw", "message"),
    [
        ("short_text", "x" * 11, "Your answer must be 10 characters or fewer. You have 11 characters."),
        ("long_text", "a b c d e f", "Your answer must be 5 words or fewer. You have 6 words."),
        ("number", "ten", "Enter a number, like 25000"),
        ("number", "101", "Enter a number between 0 and 100"),
        ("number", "NaN", "Enter a number, like 25000"),
        ("single_choice", "Spaceship", "Select one of the options"),
        ("multiple_choice", ["Everyone"], "Select from the options listed"),
        ("yes_no", "maybe", "Select yes or no"),
        ("date", {"day": "30", "month": "2", "year": "2027"}, "The date must be a real date, like 27 3 2027"),
        ("date", {"day": "3", "month": "", "year": "2027"}, "The date must include a month"),
        ("date", {"day": "3", "month": "4", "year": "27"}, "The date must be a real date, like 27 3 2027"),
    ],
)
def test_bad_answers_get_a_message_for_the_field(kind, raw, message):
    with pytest.raises(ValidationError) as error:
        clean_answer(QUESTIONS[kind], raw)
    assert error.value.messages == [message]


def test_stored_question_sets_read_back_with_the_standard_section_first():
    sections = sections_from_raw(standard_question_set())
    assert [section.title for section in sections] == ["About your proposal", "Your solution", "Delivery"]
    stage = sections[1].questions[3]
    assert stage.kind == "single_choice" and stage.choices == ["Idea", "Prototype", "In use"]


anything = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=80),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=10,
)
date_parts = st.fixed_dictionaries(
    {"day": st.text(max_size=6), "month": st.text(max_size=6), "year": st.text(max_size=8)}
)


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(sorted(QUESTIONS)), raw=anything | date_parts)
def test_no_input_causes_anything_but_a_validation_message(kind, raw):
    try:
        value = clean_answer(QUESTIONS[kind], raw)
    except ValidationError as error:
        assert error.messages and all(isinstance(message, str) and message for message in error.messages)
    else:
        assert value is None or isinstance(value, str | list | bool)
