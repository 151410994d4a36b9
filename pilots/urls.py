"""The supplier's side of a pilot, under /pilots/: its milestones and the report on each, and the one download of
report evidence (the organisation's members and the challenge's managers only; anyone else gets a 404)."""

from django.urls import path

from . import views

app_name = "pilots"

urlpatterns = [
    path("<int:pilot_id>/", views.pilot_detail, name="pilot"),
    path("reports/<int:milestone_id>/", views.report, name="report"),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence"),
    path("evidence/<int:evidence_id>/remove/", views.evidence_remove, name="evidence_remove"),
]
