"""What `make bench` adds to the site it measures: the baseline view and a query-counting middleware.

The baseline is the cheapest honest Django page, one row read and a small template rendered through the same
middleware and server as the real pages, so each page's requests/s can be given as a ratio to it: machines
differ, ratios hold. The middleware answers "how many database queries did this request make?" in a response
header, which is how the run proves that a page-cache hit makes none.
"""

from django.db import connection
from django.shortcuts import render
from django.views.decorators.http import require_safe
from wagtail.models import Site

QUERIES_HEADER = "X-Bench-Queries"


@require_safe
def baseline(request):
    site = Site.objects.filter(is_default_site=True).values("site_name", "hostname", "port").first()
    return render(request, "bench/baseline.html", {"site": site})


class QueryCountMiddleware:
    """Outermost middleware (bench settings only, with BENCH_COUNT_QUERIES=1): counts every SQL statement the
    request runs, including those of the page cache and session middleware beneath it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = [0]

        def counted(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            response = self.get_response(request)
        response[QUERIES_HEADER] = str(count[0])
        return response
