"""The stages of a challenge: the rounds a proposal passes through, in order, from the open call to the award.

A challenge always has at least one stage; a one-stage challenge is the simple case, not a special one. The
first stage is the open call, open to every signed-in supplier, and its window is the challenge's entry window
(``ChallengePage.opens_at``/``closes_at`` are kept equal to it, so listings sort and filter by an indexed
column). Later stages are by invitation: a proposal reaches one only when a manager takes it forward
(``submissions.workflow``). A written stage has its own questions; a pitch stage is a live presentation with
booked slots. Each stage has its own rubric and panel settings, so each is judged on its own terms.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable

from core.formatting import format_moment

from .blocks import QuestionSetBlock, RubricBlock


class StageKind(models.TextChoices):
    WRITTEN = "written", "Written proposal"
    PITCH = "pitch", "Pitch"


class Stage(Orderable):
    """One round of a challenge, with its own window, questions, rubric and panel settings."""

    page = ParentalKey("challenges.ChallengePage", on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(
        max_length=100, help_text='For example: "Expression of interest", "Full proposal", "Pitch".'
    )
    kind = models.CharField(max_length=20, choices=StageKind.choices, default=StageKind.WRITTEN)
    description = models.TextField(
        blank=True, help_text="What happens in this stage and who takes part, shown on the challenge page."
    )
    opens_at = models.DateTimeField("opens", help_text="UK time.")
    closes_at = models.DateTimeField(
        "closes",
        help_text="Written stages accept submissions until this moment; a pitch stage's pitches end by then. UK time.",
    )
    booking_closes_at = models.DateTimeField(
        "pitch slots can be booked or changed until",
        null=True,
        blank=True,
        help_text="Pitch stages only. Leave blank to allow changes until a slot starts.",
    )
    feedback_release_at = models.DateTimeField(
        "feedback released",
        null=True,
        blank=True,
        help_text="When organisations not taken forward from this stage are emailed their feedback. UK time.",
    )
    questions = StreamField(
        QuestionSetBlock(),
        blank=True,
        help_text=(
            "Written stages: sections of questions suppliers answer, after the standard title, public summary and "
            "consent. A question can start with the answer to a question of an earlier stage: name it in "
            '"Prefilled from".'
        ),
    )
    rubric = StreamField(
        RubricBlock(), blank=True, help_text="The criteria judges score this stage against, each with a weight."
    )
    judges_per_proposal = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1)], help_text="How many judges review each proposal in this stage."
    )
    places = models.PositiveSmallIntegerField(
        "awards or places planned",
        default=3,
        validators=[MinValueValidator(1)],
        help_text=(
            "How many proposals this stage will award, or take forward to the next stage. The results page works "
            "out how likely each proposal is to be among that many."
        ),
    )
    blind_judging = models.BooleanField(
        default=False, help_text="Judges never see who a proposal is from: names, members, numbers or emails."
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldRowPanel([FieldPanel("booking_closes_at"), FieldPanel("feedback_release_at")]),
            ],
            heading="Dates",
        ),
        FieldPanel("questions"),
        FieldPanel("rubric"),
        FieldRowPanel([FieldPanel("judges_per_proposal"), FieldPanel("places"), FieldPanel("blind_judging")]),
    ]

    class Meta(Orderable.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="challenges_stage_closes_after_it_opens",
                violation_error_message="A stage must close after it opens.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_pitch(self) -> bool:
        return self.kind == StageKind.PITCH

    def is_open(self, now) -> bool:
        return self.opens_at <= now < self.closes_at

    def clean(self) -> None:
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": f"A stage must close after it opens ({format_moment(self.opens_at)})."})
        if self.booking_closes_at and self.kind != StageKind.PITCH:
            raise ValidationError({"booking_closes_at": "Only a pitch stage has slots to book."})


def stage_order_errors(stages: list) -> dict[int, dict[str, str]]:
    """Field errors for stages whose dates do not run in order, keyed by the stage's position.

    Each stage must close after it opens, and each later stage must open no earlier than the one before it
    closes, so no two stages overlap and a proposal is only ever in one open stage.
    """
    errors: dict[int, dict[str, str]] = {}
    previous = None
    for position, stage in enumerate(stages):
        if stage.opens_at and stage.closes_at and stage.closes_at <= stage.opens_at:
            errors.setdefault(position, {})["closes_at"] = (
                f"{stage.name or 'This stage'} must close after it opens ({format_moment(stage.opens_at)})."
            )
        if previous is not None and previous.closes_at and stage.opens_at and stage.opens_at < previous.closes_at:
            errors.setdefault(position, {})["opens_at"] = (
                f"{stage.name or 'This stage'} must open after {previous.name or 'the stage before it'} closes "
                f"({format_moment(previous.closes_at)}): stages cannot overlap."
            )
        previous = stage
    return errors


def single_stage(
    opens_at,
    closes_at,
    *,
    questions=(),
    rubric=(),
    judges_per_proposal=3,
    blind_judging=False,
    name="Proposals",
    places=3,
) -> Stage:
    """The one written stage of a one-stage challenge (unsaved: pass it as ``ChallengePage(stages=[...])``)."""
    return Stage(
        name=name,
        kind=StageKind.WRITTEN,
        sort_order=0,
        opens_at=opens_at,
        closes_at=closes_at,
        questions=list(questions),
        rubric=list(rubric),
        judges_per_proposal=judges_per_proposal,
        blind_judging=blind_judging,
        places=places,
    )
