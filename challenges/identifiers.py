"""Organisation identifiers in the org-id.guide form that 360Giving data uses to link funders and recipients.

An identifier is a list code (a two-letter country or ``XI``/``XM`` prefix and the register's code, such as
``GB-LAE`` for English local authorities or ``GB-CA`` for combined authorities) followed by the organisation's
identifier on that list: ``GB-LAE-BIR``, ``GB-COH-01234567``.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models

ORG_ID = re.compile(r"[A-Z]{2}-[A-Z0-9]{2,10}-[A-Za-z0-9][A-Za-z0-9._/-]*")
ORG_ID_MESSAGE = (
    "Enter an org-id identifier in the correct format: the list code and then the organisation's identifier "
    "on that list, separated by hyphens, like GB-LAE-BIR or GB-COH-01234567"
)


def normalise_org_id(value: str) -> str:
    """Spaces people paste from a web page removed, and the list code in capitals as org-id.guide writes it."""
    value = "".join(value.split())
    parts = value.split("-", 2)
    if len(parts) == 3:
        return f"{parts[0].upper()}-{parts[1].upper()}-{parts[2]}"
    return value


def validate_org_id(value: str) -> None:
    if not ORG_ID.fullmatch(value):
        raise ValidationError(ORG_ID_MESSAGE, code="invalid")


class OrgIdField(models.CharField):
    """An org-id identifier kept in one form (``normalise_org_id``), checked by ``validate_org_id``; "" when not
    known."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 100)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_org_id(value) if value else value
