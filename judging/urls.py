"""The judges' pages, under /judging/ (two-factor sign-in required by accounts.middleware)."""

from django.urls import path

from . import views

app_name = "judging"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("assignments/<int:assignment_id>/", views.review, name="review"),
    path("assignments/<int:assignment_id>/files/<int:attachment_id>/", views.download, name="download"),
    path("panels/<int:challenge_id>/expertise/", views.expertise, name="expertise"),
]
