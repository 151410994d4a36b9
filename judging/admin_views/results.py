"""Results (ranking, exports, calibration chart), the staff view of one proposal, decisions and the
announcement (staff, Wagtail admin)."""

urlpatterns: list = []
