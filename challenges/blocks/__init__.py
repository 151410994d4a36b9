"""The StreamField blocks of a challenge page: the story of the problem, the proposal questions a supplier answers,
and the rubric judges score against. They live here, on the ground floor, because the page is defined here; the
apps that read the answers and the scores (submissions, judging) read them from the stored data."""

from .questions import FILE_TYPE_CHOICES, QuestionSetBlock
from .rubric import RubricBlock
from .story import StoryBlock

__all__ = ["FILE_TYPE_CHOICES", "QuestionSetBlock", "RubricBlock", "StoryBlock"]
