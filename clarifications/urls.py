from django.urls import path

from . import views

app_name = "clarifications"

urlpatterns = [
    path("ask/<int:challenge_id>/", views.ask, name="ask"),
    path("mine/", views.mine, name="mine"),
]
