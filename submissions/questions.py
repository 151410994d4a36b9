"""Questions as plain values, and the rules that turn what a supplier typed into an answer.

The same code reads the live question set on a challenge and the snapshot stored
with each submitted version, so a proposal is always read against the questions
it actually answered. Every rule raises ``ValidationError`` with a message fit
to show beside the field, and nothing else: bad input is the supplier's to fix,
never a server error.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Context, Decimal, InvalidOperation

from django.core.exceptions import ValidationError

STANDARD_SECTION_TITLE = "About your proposal"
SUMMARY_WORD_LIMIT = 100


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    label: str
    help_text: str = ""
    required: bool = True
    options: dict = field(default_factory=dict)

    @property
    def choices(self) -> list[str]:
        return list(self.options.get("choices") or [])


@dataclass(frozen=True)
class Section:
    index: int
    title: str
    description: str
    questions: tuple[Question, ...]


STANDARD_QUESTIONS = (
    Question(
        id="title",
        kind="short_text",
        label="Proposal title",
        help_text="A short name for your solution.",
        options={"max_length": 150},
    ),
    Question(
        id="public_summary",
        kind="long_text",
        label="Public summary",
        help_text=f"Up to {SUMMARY_WORD_LIMIT} words. If your proposal wins an award, we publish this only if you "
        "agree below.",
        options={"word_limit": SUMMARY_WORD_LIMIT},
    ),
    Question(
        id="consent_to_publish",
        kind="yes_no",
        label="If your proposal wins an award, may we also publish its title and public summary?",
        help_text="Public bodies publish the awards they make. If your proposal wins or is highly commended, we "
        "always publish your organisation's name, the award and the judging panel's reasons. We publish your "
        "proposal's title and public summary only if you say yes.",
    ),
)
STANDARD_SECTION = Section(index=0, title=STANDARD_SECTION_TITLE, description="", questions=STANDARD_QUESTIONS)


def _plain(value):
    """Unwrap Wagtail's stored ListBlock items ({"type": "item", "value": ...}) into plain values."""
    if isinstance(value, list):
        return [item["value"] if isinstance(item, dict) and "value" in item else item for item in value]
    return value


def sections_from_raw(raw: list[dict]) -> list[Section]:
    """All sections a proposal answers: the standard one first, then the challenge's own, from stored data."""
    sections = [STANDARD_SECTION]
    for block in raw or []:
        if block.get("type") != "section":
            continue
        value = block["value"]
        questions = []
        for item in value.get("questions") or []:
            data = dict(item["value"])
            options = {key: _plain(val) for key, val in data.items() if key not in {"label", "help_text", "required"}}
            questions.append(
                Question(
                    id=item["id"],
                    kind=item["type"],
                    label=data.get("label", ""),
                    help_text=data.get("help_text") or "",
                    required=bool(data.get("required", True)),
                    options=options,
                )
            )
        sections.append(
            Section(
                index=len(sections),
                title=value.get("title", ""),
                description=value.get("description") or "",
                questions=tuple(questions),
            )
        )
    return sections


def missing_message(question: Question) -> str:
    return {
        "single_choice": "Select an answer",
        "multiple_choice": "Select at least one answer",
        "yes_no": "Select yes or no",
        "date": "Enter a date",
        "file": "Upload a file",
        "declaration": "Confirm the declaration to continue",
    }.get(question.kind, "Enter an answer")


def word_count(text: str) -> int:
    return len(text.split())


NULL_CHARACTER_MESSAGE = "Your answer contains a null character, which cannot be saved. Remove it and try again."


def _text(raw) -> str:
    """Typed text with browser line breaks (CRLF) as LF and surrounding whitespace stripped.

    A NUL byte is refused: PostgreSQL cannot store it in a text column or in JSON, so letting it through would
    turn one odd keystroke (or a pasted binary) into a server error that loses the whole page.
    """
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise ValidationError("Enter text")
    if "\x00" in raw:
        raise ValidationError(NULL_CHARACTER_MESSAGE)
    return raw.replace("\r\n", "\n").strip()


def _short_text(question: Question, raw):
    text = _text(raw)
    limit = int(question.options.get("max_length") or 200)
    if len(text) > limit:
        raise ValidationError(f"Your answer must be {limit} characters or fewer. You have {len(text)} characters.")
    return text or None


def _long_text(question: Question, raw):
    text = _text(raw)
    limit = int(question.options.get("word_limit") or 500)
    words = word_count(text)
    if words > limit:
        raise ValidationError(f"Your answer must be {limit} words or fewer. You have {words} words.")
    if len(text) > limit * 50:
        raise ValidationError("Your answer is too long. Remove some text and try again.")
    return text or None


MAX_NUMBER_LENGTH = 100
MIN_ADJUSTED, MAX_ADJUSTED = -20, 15
"""Numbers are stored between 1e-20 and 1e15 in size (or zero), so what is stored is short and exact."""
EXACT = Context(prec=MAX_NUMBER_LENGTH + 20)
"""Wide enough that normalising an accepted number never rounds it: what is stored is what was typed."""


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    return Decimal(str(value))


def _number(question: Question, raw):
    text = _text(raw).replace(",", "").replace("£", "").strip()
    if not text:
        return None
    if len(text) > MAX_NUMBER_LENGTH:
        raise ValidationError("Enter a number, like 25000")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError("Enter a number, like 25000") from None
    # adjusted() needs no arithmetic context: abs() on "1e999999999" overflowed the default one (a 500).
    if not number.is_finite() or (number and not MIN_ADJUSTED <= number.adjusted() < MAX_ADJUSTED):
        raise ValidationError("Enter a number, like 25000")
    low, high = _decimal(question.options.get("min_value")), _decimal(question.options.get("max_value"))
    if (low is not None and number < low) or (high is not None and number > high):
        if low is not None and high is not None:
            raise ValidationError(f"Enter a number between {low.normalize():f} and {high.normalize():f}")
        if low is not None:
            raise ValidationError(f"Enter a number of {low.normalize():f} or more")
        raise ValidationError(f"Enter a number of {high.normalize():f} or less")
    return format(number.normalize(EXACT), "f")


def _single_choice(question: Question, raw):
    text = _text(raw)
    if not text:
        return None
    if text not in question.choices:
        raise ValidationError("Select one of the options")
    return text


def _multiple_choice(question: Question, raw):
    values = raw if isinstance(raw, list | tuple) else ([] if raw in (None, "") else [raw])
    chosen = []
    for value in values:
        text = _text(value)
        if text not in question.choices:
            raise ValidationError("Select from the options listed")
        if text not in chosen:
            chosen.append(text)
    return chosen or None


def _yes_no(question: Question, raw):
    text = _text(raw)
    if not text:
        return None
    if text not in ("yes", "no"):
        raise ValidationError("Select yes or no")
    return text


def _date(question: Question, raw):
    parts = raw if isinstance(raw, dict) else {}
    day, month, year = (_text(parts.get(name)) for name in ("day", "month", "year"))
    if not (day or month or year):
        return None
    missing = [name for name, value in (("day", day), ("month", month), ("year", year)) if not value]
    if missing:
        raise ValidationError(f"The date must include a {' and '.join(missing)}")
    if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
        raise ValidationError("The date must be a real date, like 27 3 2027")
    try:
        return datetime.date(int(year), int(month), int(day)).isoformat()
    except (ValueError, OverflowError):  # OverflowError: a day or month of many digits
        raise ValidationError("The date must be a real date, like 27 3 2027") from None


def _declaration(question: Question, raw):
    text = _text(raw)
    if not text:
        return None
    if text != "confirmed":
        raise ValidationError("Confirm the declaration to continue")
    return True


CLEANERS = {
    "short_text": _short_text,
    "long_text": _long_text,
    "number": _number,
    "single_choice": _single_choice,
    "multiple_choice": _multiple_choice,
    "yes_no": _yes_no,
    "date": _date,
    "declaration": _declaration,
}


def clean_answer(question: Question, raw):
    """The stored form of an answer, or None when left blank. Files are handled by ``submissions.files``."""
    cleaner = CLEANERS.get(question.kind)
    if cleaner is None:
        raise ValidationError("This question cannot be answered here")
    return cleaner(question, raw)


def is_answered(value) -> bool:
    return value not in (None, "", [], {})
