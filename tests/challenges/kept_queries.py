"""Counting a public page's queries as a visitor meets them: the first request after the site changed (nothing
kept yet in this process, ``cold``) and the one after it (``warm``). Both must stay the same as data grows."""

from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.kept import forget


@dataclass(frozen=True)
class Counts:
    cold: int
    warm: int
    response: object


def page_queries(client, url: str, params=None) -> Counts:
    forget()
    with CaptureQueriesContext(connection) as cold:
        client.get(url, params or {})
    with CaptureQueriesContext(connection) as warm:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return Counts(len(cold.captured_queries), len(warm.captured_queries), response)
