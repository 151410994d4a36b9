"""The judges' pages, under /judging/ (two-factor sign-in required by accounts.middleware)."""

from django.urls import path

from . import due_diligence_views, pitch_views, views

app_name = "judging"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("assignments/<int:assignment_id>/", views.review, name="review"),
    path("assignments/<int:assignment_id>/no-conflict/", views.confirm_no_conflict, name="confirm_no_conflict"),
    path("assignments/<int:assignment_id>/conflict/", views.declare_conflict, name="declare_conflict"),
    path("assignments/<int:assignment_id>/draft/", views.save_draft, name="save_draft"),
    path("assignments/<int:assignment_id>/submit/", views.submit_review, name="submit_review"),
    path("assignments/<int:assignment_id>/submit/confirm/", views.confirm_submit, name="confirm_submit"),
    path("assignments/<int:assignment_id>/files/<int:attachment_id>/", views.download, name="download"),
    path("panels/<int:challenge_id>/expertise/", views.expertise, name="expertise"),
    # Due diligence, for the proposing organisation (and evidence for its challenge's managers too)
    path("due-diligence/<int:proposal_id>/", due_diligence_views.due_diligence, name="due_diligence"),
    path("due-diligence/evidence/<int:item_id>/", due_diligence_views.evidence, name="due_diligence_evidence"),
    # Pitch stages: an organisation books its slot; judges see the day's schedule
    path("pitch/proposals/<int:proposal_id>/", pitch_views.pitch_booking, name="pitch_booking"),
    path("pitch/proposals/<int:proposal_id>/calendar.ics", pitch_views.pitch_calendar, name="pitch_calendar"),
    path("pitch/<int:stage_id>/schedule/", pitch_views.pitch_schedule, name="pitch_schedule"),
    path("pitch/<int:stage_id>/slots/<int:slot_id>/attendance/", pitch_views.pitch_attendance, name="pitch_attendance"),
]
