"""Screening, panel, assignments/coverage and the audit log (staff, Wagtail admin)."""

urlpatterns: list = []
