"""The money a challenge has awarded, kept against its funding.

One row per challenge holds the sum of its confirmed awards and the funding they may not exceed; the database's
CHECK refuses a row whose awards pass its funding, so two managers confirming awards at the same moment can never
together overspend, whatever the services above checked first. The judging app writes it through
``funding_awards_set`` when a decision changes (taking the page's funding as it is then); the challenge's edit form
reads it so the funding cannot be lowered below what is already awarded.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q

from core.formatting import format_pounds


class FundingLedger(models.Model):
    challenge = models.OneToOneField("challenges.ChallengePage", on_delete=models.CASCADE, related_name="ledger")
    funding = models.DecimalField(max_digits=12, decimal_places=2)
    awarded = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal(0))

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(awarded__lte=F("funding")) & Q(awarded__gte=0),
                name="challenges_awards_within_funding",
                violation_error_message="The awards would exceed the challenge's funding.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.challenge}: {self.awarded} of {self.funding}"


def awarded_so_far(challenge) -> Decimal:
    ledger = FundingLedger.objects.filter(challenge=challenge).first()
    return ledger.awarded if ledger else Decimal(0)


@transaction.atomic
def funding_awards_set(*, challenge, awarded: Decimal) -> FundingLedger:
    """Record the challenge's total confirmed awards, refusing (with the figures) a total over its funding."""
    ledger, _ = FundingLedger.objects.select_for_update().get_or_create(
        challenge=challenge, defaults={"funding": challenge.funding_available}
    )
    ledger.funding = challenge.funding_available
    ledger.awarded = awarded
    over = ValidationError(
        {
            "amount": f"The awards would come to {format_pounds(awarded)}, more than this challenge's funding of "
            f"{format_pounds(challenge.funding_available)}."
        }
    )
    if awarded > challenge.funding_available:
        raise over
    try:
        with transaction.atomic():
            ledger.save()
    except IntegrityError as error:
        raise over from error
    return ledger
