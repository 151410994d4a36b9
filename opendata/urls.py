"""Open data: the JSON API, its OpenAPI schema, CSV downloads, Atom feeds and the data page."""

from django.urls import path
from django.views.decorators.http import require_safe

from . import views
from .feeds import ChallengesFeed, WinnersFeed

app_name = "opendata"

urlpatterns = [
    path("api/v1/challenges/", views.challenge_list, name="challenges"),
    path("api/v1/challenges/<int:pk>/", views.challenge_detail, name="challenge"),
    path("api/v1/outcomes/", views.outcome_list, name="outcomes"),
    path("api/v1/pilots/", views.pilot_list, name="pilots"),
    path("api/v1/openapi.json", views.openapi, name="openapi"),
    path("data/", views.data_page, name="data"),
    path("data/challenges.csv", views.challenges_csv, name="challenges_csv"),
    path("data/outcomes.csv", views.outcomes_csv, name="outcomes_csv"),
    path("data/pilots.csv", views.pilots_csv, name="pilots_csv"),
    path("data/360giving.json", views.threesixtygiving_json, name="threesixtygiving_json"),
    path("data/360giving.csv", views.threesixtygiving_csv, name="threesixtygiving_csv"),
    path("feeds/challenges.atom", require_safe(ChallengesFeed()), name="challenges_feed"),
    path("feeds/winners.atom", require_safe(WinnersFeed()), name="winners_feed"),
]
