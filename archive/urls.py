"""The public archive: search, the winners gallery and a page per winner."""

from django.urls import path

from . import views

app_name = "archive"

urlpatterns = [
    path("", views.search, name="search"),
    path("suggest/", views.suggestions, name="suggest"),
    path("winners/", views.winners, name="winners"),
    path("winners/<int:pk>/", views.winner, name="winner"),
]
