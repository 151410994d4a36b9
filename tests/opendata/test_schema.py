"""The OpenAPI document describes exactly what the API returns: every field returned is in the schema, and
every field in the schema is returned, with the type, format and values it promises."""

import re
from datetime import date, datetime

import pytest

from opendata.filters import AWARD_FILTERS, CHALLENGE_FILTERS, PILOT_FILTERS
from opendata.schema import LICENCE_URL
from pilots.models import PilotStatus
from tests.factories.pilots import make_pilot

pytestmark = pytest.mark.django_db

JSON_TYPES = {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer", type(None): "null"}


class Checker:
    """A small JSON Schema check of the keywords schema.py uses, recording which component schemas it met."""

    def __init__(self, document: dict):
        self.document = document
        self.met: set[str] = set()

    def resolve(self, schema: dict) -> dict:
        while "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            self.met.add(name)
            schema = self.document["components"]["schemas"][name]
        return schema

    def check(self, value, schema: dict, path: str = "$") -> None:
        schema = self.resolve(schema)
        allowed = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        assert JSON_TYPES[type(value)] in allowed, f"{path}: {value!r} is not {allowed}"
        if "enum" in schema:
            assert value in schema["enum"], f"{path}: {value!r} not in {schema['enum']}"
        if "const" in schema:
            assert value == schema["const"], path
        if isinstance(value, str):
            if "pattern" in schema:
                assert re.search(schema["pattern"], value), f"{path}: {value!r} !~ {schema['pattern']}"
            if schema.get("format") == "date-time":
                assert datetime.fromisoformat(value).tzinfo is not None, path
            if schema.get("format") == "date":
                assert date.fromisoformat(value).isoformat() == value, path
            if schema.get("format") == "uri":
                assert value.startswith("http://testserver/"), f"{path}: {value!r} is not absolute"
        if isinstance(value, dict) and "properties" in schema:
            returned, described = set(value), set(schema["properties"])
            assert returned - described == set(), f"{path}: returned but not in the schema"
            assert described - returned == set(), f"{path}: in the schema but not returned"
            assert set(schema["required"]) == described and schema["additionalProperties"] is False, path
            for key, item in value.items():
                self.check(item, schema["properties"][key], f"{path}.{key}")
        if isinstance(value, dict) and isinstance(schema.get("additionalProperties"), dict):
            for key, item in value.items():
                self.check(item, schema["additionalProperties"], f"{path}.{key}")
        if isinstance(value, list):
            for index, item in enumerate(value):
                self.check(item, schema["items"], f"{path}[{index}]")


def response_schema(document: dict, path: str, status: str = "200") -> dict:
    return document["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"]


def test_the_document_is_openapi_3_1_with_the_open_government_licence(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"] == "3.1.0"
    assert document["info"]["license"] == {"name": "Open Government Licence v3.0", "url": LICENCE_URL}
    assert LICENCE_URL == "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
    assert document["servers"] == [{"url": "http://testserver"}]


def test_every_field_returned_is_described_and_every_field_described_is_returned(client, published):
    document = client.get("/api/v1/openapi.json").json()
    checker = Checker(document)
    checker.check(
        client.get("/api/v1/challenges/?page_size=1").json(), response_schema(document, "/api/v1/challenges/")
    )
    checker.check(
        client.get("/api/v1/challenges/?page=2&page_size=1").json(), response_schema(document, "/api/v1/challenges/")
    )
    checker.check(
        client.get(f"/api/v1/challenges/{published.announced.pk}/").json(),
        response_schema(document, "/api/v1/challenges/{id}/"),
    )
    checker.check(client.get("/api/v1/outcomes/").json(), response_schema(document, "/api/v1/outcomes/"))
    checker.check(
        client.get("/api/v1/challenges/?year=nope").json(), response_schema(document, "/api/v1/challenges/", "400")
    )
    checker.check(client.get("/api/v1/outcomes/?page=9").json(), response_schema(document, "/api/v1/outcomes/", "404"))
    make_pilot(published.winner)
    make_pilot(published.commended, status=PilotStatus.STOPPED, status_reason="Funding withdrawn.", with_reports=False)
    pilots = client.get("/api/v1/pilots/").json()
    assert pilots["count"] == 2
    checker.check(pilots, response_schema(document, "/api/v1/pilots/"))
    checker.check(client.get("/api/v1/pilots/?status=nope").json(), response_schema(document, "/api/v1/pilots/", "400"))
    assert checker.met == set(document["components"]["schemas"])


def test_the_documented_parameters_are_the_ones_the_api_reads(client, db):
    document = client.get("/api/v1/openapi.json").json()
    components = document["components"]["parameters"]

    def names(path: str) -> set[str]:
        refs = document["paths"][path]["get"]["parameters"]
        return {components[ref["$ref"].rsplit("/", 1)[-1]]["name"] for ref in refs}

    assert names("/api/v1/challenges/") == {*CHALLENGE_FILTERS, "page", "page_size"}
    assert names("/api/v1/outcomes/") == {*AWARD_FILTERS, "page", "page_size"}
    assert names("/data/challenges.csv") == set(CHALLENGE_FILTERS)
    assert names("/data/outcomes.csv") == set(AWARD_FILTERS)
    assert names("/api/v1/pilots/") == {*PILOT_FILTERS, "page", "page_size"}
    assert names("/data/pilots.csv") == set(PILOT_FILTERS)
    for path in document["paths"]:
        if "{" not in path:
            assert client.get(path).status_code == 200, path
