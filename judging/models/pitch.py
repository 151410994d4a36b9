"""Pitch slots: see the stages issue (13)."""
