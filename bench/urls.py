"""The site's own URLs with the benchmark baseline in front (ROOT_URLCONF of config.settings.bench only)."""

from django.urls import path

from bench.baseline import baseline
from config.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("bench/baseline/", baseline, name="bench_baseline"), *site_urlpatterns]
