"""Reading and checking the answers stored on a proposal, against a list of sections."""

import hashlib
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from .models import Proposal
from .questions import Question, Section, clean_answer, is_answered, missing_message

STANDARD_FIELDS = {"title", "public_summary", "consent_to_publish"}


def stored_value(proposal: Proposal, question: Question):
    if question.id == "consent_to_publish":
        consent = proposal.consent_to_publish
        return None if consent is None else ("yes" if consent else "no")
    if question.id in STANDARD_FIELDS:
        return getattr(proposal, question.id) or None
    return proposal.answers.get(question.id)


def store_value(proposal: Proposal, question: Question, value) -> None:
    if question.id == "consent_to_publish":
        proposal.consent_to_publish = None if value is None else value == "yes"
    elif question.id in STANDARD_FIELDS:
        setattr(proposal, question.id, value or "")
    elif value is None:
        proposal.answers.pop(question.id, None)
    else:
        proposal.answers[question.id] = value


@dataclass(frozen=True)
class Problem:
    section: Section
    question: Question
    message: str


def question_problem(proposal: Proposal, question: Question) -> str | None:
    """Why this stored answer cannot be submitted, or None if it can."""
    value = stored_value(proposal, question)
    if not is_answered(value):
        return missing_message(question) if question.required else None
    if question.kind == "file":
        return None
    try:
        clean_answer(question, _as_raw(question, value))
    except ValidationError as error:
        return error.messages[0]
    return None


def _as_raw(question: Question, value):
    """Turn a stored answer back into what the form would have sent, to check it against today's rules."""
    if question.kind == "date":
        year, month, day = value.split("-")
        return {"day": day, "month": month, "year": year}
    if question.kind == "declaration":
        return "confirmed" if value else ""
    return value


def problems(proposal: Proposal, sections: list[Section]) -> list[Problem]:
    return [
        Problem(section, question, message)
        for section in sections
        for question in section.questions
        if (message := question_problem(proposal, question))
    ]


def section_state(proposal: Proposal, section: Section) -> str:
    """ "not-started", "in-progress" or "completed", as the task list shows it."""
    answered = [is_answered(stored_value(proposal, question)) for question in section.questions]
    if not any(answered):
        return "not-started"
    if any(question_problem(proposal, question) for question in section.questions):
        return "in-progress"
    return "completed"


def digest(*, title: str, public_summary: str, consent: bool, answers: dict, files: list[dict]) -> str:
    """SHA-256 over a canonical JSON of everything submitted, including each file's own SHA-256."""
    document = {
        "title": title,
        "public_summary": public_summary,
        "consent_to_publish": consent,
        "answers": answers,
        "files": sorted(files, key=lambda item: item["question_id"]),
    }
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
