"""What happens to a challenge that the apps above it react to. Challenges never import them: they listen."""

from django.dispatch import Signal

winners_announced = Signal()
"""Sent with ``challenge`` inside the transaction that announces its winners (``judging``). The archive rewrites the
challenge's entries and the page cache purges, each once the transaction commits."""
