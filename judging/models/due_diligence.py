"""Due diligence before an award (issue 13): the checks a challenge asks of every shortlisted supplier, and each
proposal's result on each check. An award waits until every check has passed or does not apply
(``judging.selectors.due_diligence.due_diligence_blockers``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from submissions.files import private_storage

__all__ = ["DEFAULT_CHECKS", "DueDiligenceCheck", "DueDiligenceItem", "DueDiligenceStatus", "evidence_path"]

# (name, guidance): what a challenge asks until its managers change it.
DEFAULT_CHECKS = [
    (
        "Registration confirmed",
        "The organisation is registered (Companies House, the Charity Commission or the FCA) "
        "under the name and number it gave, and is active.",
    ),
    ("Financial standing", "Recent accounts or a credit check show the organisation can carry the contract."),
    ("Insurance", "Employer's, public and professional indemnity insurance at the levels the contract needs."),
    (
        "UK GDPR and data protection",
        "Registered with the ICO, with a privacy notice and a named person for data "
        "protection; a data protection impact assessment where personal data is processed.",
    ),
    (
        "Safeguarding (where relevant)",
        "Where the work involves children or adults at risk: a safeguarding policy "
        "and DBS checks for the people doing it. Otherwise not applicable.",
    ),
    (
        "Conflicts of interest declared",
        "The organisation has declared any interest its people have in the sponsor "
        "or its staff, and the declaration has been reviewed.",
    ),
]


class DueDiligenceStatus(models.TextChoices):
    OPEN = "open", "Not yet checked"
    PASSED = "passed", "Passed"
    FAILED = "failed", "Failed"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class DueDiligenceCheck(models.Model):
    """One thing a challenge checks before an award. Made from ``DEFAULT_CHECKS`` the first time the challenge's
    due diligence is opened; its managers may add, rename and remove checks while no result records them."""

    challenge = models.ForeignKey(
        "challenges.ChallengePage", on_delete=models.CASCADE, related_name="due_diligence_checks"
    )
    name = models.CharField(max_length=120)
    guidance = models.TextField(blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "name"],
                name="judging_due_diligence_check_name_once",
                violation_error_message="This challenge already has a check with that name.",
            )
        ]

    def __str__(self) -> str:
        return self.name


def evidence_path(instance: "DueDiligenceItem", filename: str) -> str:
    return f"due-diligence/{instance.proposal_id}/{instance.due_diligence_check_id}/{filename}"


class DueDiligenceItem(models.Model):
    """One proposal's result on one check: the decision with its note, and the evidence behind it.

    The check is ``due_diligence_check``, not ``check``: a field named ``check`` would hide ``Model.check()``,
    which Django's system checks call (models.E020).
    """

    proposal = models.ForeignKey("submissions.Proposal", on_delete=models.CASCADE, related_name="due_diligence_items")
    due_diligence_check = models.ForeignKey(DueDiligenceCheck, on_delete=models.CASCADE, related_name="items")
    status = models.CharField(max_length=20, choices=DueDiligenceStatus.choices, default=DueDiligenceStatus.OPEN)
    note = models.TextField(blank=True)
    evidence = models.FileField(upload_to=evidence_path, storage=private_storage, max_length=300, blank=True)
    evidence_name = models.CharField(max_length=120, blank=True)
    evidence_content_type = models.CharField(max_length=120, blank=True)
    evidence_size = models.PositiveBigIntegerField(null=True, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    evidence_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evidence_uploaded_at = models.DateTimeField(null=True, blank=True)
    evidence_requested_at = models.DateTimeField(null=True, blank=True)
    evidence_request_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_diligence_check__sort_order", "due_diligence_check_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "due_diligence_check"], name="judging_due_diligence_item_once_per_check"
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(note=""),
                name="judging_due_diligence_failed_has_note",
                violation_error_message="Say why this check failed.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.due_diligence_check} ({self.get_status_display()})"

    @property
    def name(self) -> str:
        return self.due_diligence_check.name

    @property
    def records_something(self) -> bool:
        """A result, evidence or a request: what stops its check being renamed or removed."""
        return bool(self.status != DueDiligenceStatus.OPEN or self.evidence or self.evidence_requested_at)
