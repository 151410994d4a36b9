from django.urls import path  # noqa: F401

# Sign-in routes that must win over the Wagtail and Django admin login pages.
urlpatterns: list = []
