from django.apps import AppConfig


class ClarificationsConfig(AppConfig):
    name = "clarifications"
    verbose_name = "Clarification questions"
