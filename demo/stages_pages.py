"""The demo's staged challenges as pages: three stages each (an expression of interest, a full proposal with an
answer prefilled from it, and a pitch), their questions and rubrics. demo/stages.py runs them."""

import uuid

from challenges.models import ChallengePage, Stage, StageKind

from .dates import uk_moment
from .stages_content import EOI_QUESTION, PAST, PITCH_RUBRIC, StagedChallenge
from .suppliers import NAMESPACE, _question, rubric


def _section(key: str, title: str, questions: list[dict]) -> dict:
    section_id = str(uuid.uuid5(NAMESPACE, f"{key}:section:{title}"))
    return {"type": "section", "id": section_id, "value": {"title": title, "description": "", "questions": questions}}


def _eoi_questions(slug: str) -> list[dict]:
    key = f"{slug}:eoi"
    return [
        _section(
            key,
            "Your idea",
            [
                _question(key, "long_text", EOI_QUESTION, word_limit=250),
                _question(key, "single_choice", "How developed is it?", choices=["An idea", "A prototype", "In use"]),
                _question(key, "declaration", "Declaration", statement="We meet the eligibility criteria."),
            ],
        )
    ]


def _full_questions(slug: str) -> list[dict]:
    key = f"{slug}:full"
    return [
        _section(
            key,
            "Your full proposal",
            [
                _question(
                    key,
                    "long_text",
                    "Your solution in full",
                    help_text="We have started this with your expression of interest: build on it.",
                    prefill_from=EOI_QUESTION,
                    word_limit=600,
                ),
                _question(key, "long_text", "How will you measure success?", word_limit=300),
                _question(key, "number", "Cost of the pilot", unit="£", min_value="0", max_value="250000"),
                _question(key, "file", "Project plan", allowed_types=["pdf"], max_size_mb=10),
                _question(key, "declaration", "Declaration", statement="The information we have given is accurate."),
            ],
        )
    ]


def _stages(spec: StagedChallenge) -> list[Stage]:
    eoi_opens, eoi_closes, eoi_feedback = (uk_moment(offset) for offset in spec.eoi)
    full_opens, full_closes, full_feedback = (uk_moment(offset) for offset in spec.full)
    pitch_opens, pitch_closes, booking_closes = (uk_moment(offset) for offset in spec.pitch)
    return [
        Stage(
            sort_order=0,
            name="Expression of interest",
            kind=StageKind.WRITTEN,
            description="A short description of your idea, open to every organisation. Those invited write a full "
            "proposal.",
            opens_at=eoi_opens,
            closes_at=eoi_closes,
            feedback_release_at=eoi_feedback,
            questions=_eoi_questions(spec.slug),
            places=spec.places[0],
        ),
        Stage(
            sort_order=1,
            name="Full proposal",
            kind=StageKind.WRITTEN,
            description="By invitation: the full proposal, with a costed project plan, judged by the panel.",
            opens_at=full_opens,
            closes_at=full_closes,
            feedback_release_at=full_feedback,
            questions=_full_questions(spec.slug),
            rubric=rubric(f"{spec.slug}:full"),
            judges_per_proposal=2,
            places=spec.places[1],
        ),
        Stage(
            sort_order=2,
            name="Pitch to the Mayor and investors" if spec is PAST else "Pitch to the panel",
            kind=StageKind.PITCH,
            description=f"The shortlist pitch in person at {spec.location}: 20 minutes to present and 10 for "
            "questions.",
            opens_at=pitch_opens,
            closes_at=pitch_closes,
            booking_closes_at=booking_closes,
            rubric=rubric(f"{spec.slug}:pitch", PITCH_RUBRIC),
            judges_per_proposal=3 if spec is PAST else 2,
            places=spec.places[2],
        ),
    ]


def staged_page(spec: StagedChallenge, section, themes) -> ChallengePage:
    """The challenge page, made once: its proposals, slots and decisions hang on its stages' dates."""
    page = ChallengePage.objects.filter(slug=spec.slug).first()
    if page is not None:
        return page
    stages = _stages(spec)
    page = ChallengePage(
        slug=spec.slug,
        title=spec.title,
        summary=spec.summary,
        sponsor=section.sponsor,
        problem_statement=[{"type": "paragraph", "value": f"<p>{spec.problem}</p>"}],
        what_we_seek="<p>Ideas a small team can pilot within a year, with a clear measure of success.</p>",
        eligibility="<p>UK-registered organisations of any size, alone or in a consortium.</p>",
        funding_available=spec.funding,
        funding_detail="<p>Up to £10,000 for each winning pilot, paid against milestones.</p>",
        opens_at=stages[0].opens_at,
        closes_at=stages[0].closes_at,
        judging_starts_at=uk_moment(spec.judging_starts),
        judging_ends_at=uk_moment(spec.judging_ends),
        announce_at=uk_moment(spec.announce),
        contact_name="Challenge team",
        contact_email=f"challenges@{section.sponsor.slug}.example",
        themes=[themes[slug] for slug in spec.themes if slug in themes],
        stages=stages,
    )
    section.add_child(instance=page)
    page.save_revision(log_action=False).publish(log_action=False)
    return ChallengePage.objects.get(pk=page.pk)
