from django.conf import settings
from django.db import models
from django.db.models import Q

from .files import private_storage


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    ELIGIBLE = "eligible", "Eligible"
    INELIGIBLE = "ineligible", "Ineligible"
    IN_ASSESSMENT = "in_assessment", "In assessment"
    MODERATION = "moderation", "Moderation"
    SHORTLISTED = "shortlisted", "Shortlisted"
    NOT_SELECTED = "not_selected", "Not selected"
    NOT_TAKEN_FORWARD = "not_taken_forward", "Not taken forward"
    WINNER = "winner", "Winner"
    HIGHLY_COMMENDED = "highly_commended", "Highly commended"
    WITHDRAWN = "withdrawn", "Withdrawn"


def validate_fields(instance: models.Model) -> None:
    """``full_clean()`` less the checks the database makes on every write anyway, each of which would cost a
    query here: that related rows exist (foreign keys), uniqueness (``unique``, ``UniqueConstraint``) and
    ``CheckConstraint``. What stays is what needs no query: lengths, choices, blanks, JSON that serialises.

    A service that sets a foreign key from input, or can break a constraint, must check that itself with a
    message a person can act on; tests/submissions/test_database_guarantees.py proves the database refuses
    each of them.
    """
    relations = [field.name for field in instance._meta.concrete_fields if field.is_relation]
    instance.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)


class Proposal(models.Model):
    """An organisation's answer to one challenge, drafted over many visits and submitted in numbered versions."""

    challenge = models.ForeignKey("challenges.ChallengePage", on_delete=models.PROTECT, related_name="proposals")
    stage = models.ForeignKey(
        "challenges.Stage",
        on_delete=models.PROTECT,
        related_name="proposals",
        help_text="The stage the proposal is in: the first, or the last one it was taken forward to.",
    )
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="proposals")
    reference = models.CharField(max_length=20, unique=True, null=True, blank=True, editable=False)
    status = models.CharField(max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT)
    title = models.CharField(max_length=150, blank=True)
    public_summary = models.TextField(blank=True)
    consent_to_publish = models.BooleanField(null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True, help_text="Answers keyed by question id.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    ineligible_reason = models.TextField(
        blank=True, help_text="Why screening found it ineligible; the supplier is told at the announcement."
    )

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "organisation"], name="submissions_one_proposal_per_org"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "withdrawn"]) | Q(reference__isnull=False),
                name="submissions_submitted_has_reference",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or self.title or f"Draft proposal {self.pk}"


class ProposalVersion(models.Model):
    """What was submitted, exactly: answers, the questions they answered, the files and a digest of it all."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="versions")
    stage = models.ForeignKey("challenges.Stage", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(help_text="Counted within the stage: each stage's submission has its own.")
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=150)
    public_summary = models.TextField()
    consent_to_publish = models.BooleanField()
    answers = models.JSONField()
    questions = models.JSONField(help_text="The question set as it stood at submission.")
    files = models.JSONField(help_text="Each file's question, name, size and SHA-256.")
    digest = models.CharField(max_length=64, help_text="SHA-256 of the answers and files.")

    class Meta:
        ordering = ["proposal", "-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "stage", "number"], name="submissions_version_number_in_stage")
        ]

    def __str__(self) -> str:
        return f"{self.proposal} version {self.number}"


class Progression(models.Model):
    """A manager's decision at the end of a stage: taken forward to the next stage, or not, with feedback.

    The feedback for those not taken forward is emailed once, when the stage's feedback is released;
    ``feedback_sent_at`` records that it went, so a retried task never sends it twice.
    """

    class Outcome(models.TextChoices):
        TAKEN_FORWARD = "taken_forward", "Taken forward"
        NOT_TAKEN_FORWARD = "not_taken_forward", "Not taken forward"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="progressions")
    stage = models.ForeignKey("challenges.Stage", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    to_stage = models.ForeignKey("challenges.Stage", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    feedback = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    feedback_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["decided_at"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "stage"], name="submissions_one_progression_per_stage"),
            models.CheckConstraint(
                condition=Q(outcome="taken_forward", to_stage__isnull=False)
                | Q(outcome="not_taken_forward", to_stage__isnull=True),
                name="submissions_progression_names_its_next_stage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.get_outcome_display()} from {self.stage}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"proposals/{instance.proposal_id}/{instance.question_id}/{filename}"


class Attachment(models.Model):
    """An uploaded file. Kept while any submitted version refers to it, so history never loses a file."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    question_id = models.CharField(max_length=64)
    file = models.FileField(upload_to=attachment_path, storage=private_storage, max_length=300)
    name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    replaced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at"]
        indexes = [models.Index(fields=["proposal", "question_id"])]

    def __str__(self) -> str:
        return self.name


class ReferenceCounter(models.Model):
    """The last reference number issued each year. Numbers are never reused, even if a proposal is deleted."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"
