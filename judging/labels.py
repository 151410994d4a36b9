"""How judging names things, each wording defined once: people on the record, how far a review has got, and the
tabs of a challenge's judging pages. Pages, exports, emails and messages import these; none spells its own."""

from .models import ReviewStatus

NOT_STARTED = "Not started"
"""An assigned review with nothing entered yet: its only name, on the judge's dashboard, the assignments grid, a
proposal's page and every warning about reviews (tests/judging/test_review_labels.py looks for any other)."""
DRAFT = ReviewStatus.DRAFT.label
"""Something entered and saved, not submitted."""
SUBMITTED = ReviewStatus.SUBMITTED.label
"""Submitted, and locked until a manager reopens it."""

# (url name, label): the tabs across the top of every per-challenge admin page, in the order a manager works.
# Messages that send a manager to a tab name it with this label.
TABS = [
    ("proposals", "Screening"),
    ("panel", "Panel"),
    ("coverage", "Assignments"),
    ("results", "Results"),
    ("progression", "Progression"),
    ("pitch_index", "Pitch slots"),
    ("due_diligence", "Due diligence"),
    ("decisions", "Decisions"),
    ("pilots_admin:pilots", "Pilots"),
    ("audit", "Audit log"),
]
TAB_LABELS = dict(TABS)


def review_state(review, has_scores: bool) -> str:
    """How far a review has got (``review`` may be None, for an assignment whose review row is not made yet):
    ``SUBMITTED``, ``DRAFT`` (something saved) or ``NOT_STARTED`` (nothing yet)."""
    if review is not None and review.status == ReviewStatus.SUBMITTED:
        return SUBMITTED
    return DRAFT if has_scores else NOT_STARTED


def _full_name(judge) -> str:
    return judge.get_full_name() if hasattr(judge, "get_full_name") else ""


def judge_name(judge) -> str:
    """A judge as a manager's page names them: the full name, or the email address when no name is given."""
    return _full_name(judge) or judge.email


def judge_label(judge) -> str:
    """How the audit log names a judge: staff read it, so the full name and address."""
    name = _full_name(judge)
    return f"{name} <{judge.email}>" if name else judge.email
