from django.urls import path

from . import views

app_name = "submissions"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("start/<int:challenge_id>/", views.start, name="start"),
    path("<int:pk>/", views.task_list, name="task_list"),
    path("<int:pk>/section/<int:index>/", views.section, name="section"),
    path("<int:pk>/check/", views.check_answers, name="check"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/submitted/<int:stage_id>/<int:number>/", views.confirmation, name="confirmation"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/files/<int:attachment_id>/", views.download, name="download"),
]
