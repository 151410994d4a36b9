"""Reading one section's answers out of a POST, and giving back what to show when something is wrong."""

from django.core.exceptions import ValidationError

from .answers import stored_value
from .questions import Question, Section, clean_answer


def field_name(question: Question) -> str:
    return f"q-{question.id}"


class SectionForm:
    """One section of questions. Bound to a POST, it splits answers into those to store and those to fix.

    Whatever the supplier typed is always re-shown, valid or not, so nothing is lost
    when one answer needs correcting.
    """

    def __init__(self, section: Section, proposal, data=None, files=None):
        self.section = section
        self.proposal = proposal
        self.data = data
        self.files = files or {}
        self.errors: dict[str, str] = {}

    @property
    def is_bound(self) -> bool:
        return self.data is not None

    def raw(self, question: Question):
        """What the field shows: the typed value after a POST, else the stored answer in form shape."""
        name = field_name(question)
        if self.is_bound:
            if question.kind == "multiple_choice":
                return self.data.getlist(name)
            if question.kind == "date":
                return {part: self.data.get(f"{name}-{part}", "") for part in ("day", "month", "year")}
            return self.data.get(name, "")
        value = stored_value(self.proposal, question)
        if question.kind == "date" and value:
            year, month, day = value.split("-")
            return {"day": str(int(day)), "month": str(int(month)), "year": year}
        if question.kind == "date":
            return {"day": "", "month": "", "year": ""}
        if question.kind == "declaration":
            return "confirmed" if value else ""
        if question.kind == "multiple_choice":
            return value or []
        return "" if value is None else value

    def cleaned_answers(self) -> dict[str, object]:
        """Answers that passed their checks, ready to store; failures are recorded in ``errors``."""
        values = {}
        for question in self.section.questions:
            if question.kind == "file":
                continue
            try:
                values[question.id] = clean_answer(question, self.raw(question))
            except ValidationError as error:
                self.errors[question.id] = error.messages[0]
        return values

    def uploads(self) -> dict[str, object]:
        return {
            question.id: self.files[field_name(question)]
            for question in self.section.questions
            if question.kind == "file" and field_name(question) in self.files
        }

    def removals(self) -> list[Question]:
        return [
            question
            for question in self.section.questions
            if question.kind == "file" and self.data is not None and self.data.get(f"{field_name(question)}-remove")
        ]

    def add_error(self, question: Question, message: str) -> None:
        self.errors[question.id] = message

    def rows(self) -> list[dict]:
        """What the template loops over: each question with its field name, value and error."""
        return [
            {
                "question": question,
                "name": field_name(question),
                "value": self.raw(question),
                "error": self.errors.get(question.id),
                "stored": stored_value(self.proposal, question),
            }
            for question in self.section.questions
        ]
