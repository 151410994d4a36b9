"""Replaying history: the demo's closed challenges had their proposals submitted before their deadlines, and the
same services a supplier's request calls refuse once a deadline has passed. So the demo runs those services as of
the moment each thing happened: ``django.utils.timezone.now`` answers that moment for as long as the block runs,
and everything stamped with the time (versions, receipts, audit events) reads as it would have then."""

from contextlib import contextmanager
from datetime import datetime

from django.utils import timezone


@contextmanager
def as_of(moment: datetime):
    real_now = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = real_now
