"""What accounts tells the apps above it. They listen; accounts never imports them."""

from django.dispatch import Signal

member_joined = Signal()
"""Sent with ``membership`` once someone has joined an organisation (inside the joining transaction)."""
