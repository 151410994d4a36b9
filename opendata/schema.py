"""The OpenAPI 3.1 document for the open data API, written by hand so it reads as documentation.

Every object schema lists all its properties as required and allows no others, so the document is a contract:
tests/opendata/test_schema.py checks each field the API returns is described here, and each field described
here is returned. Change rows.py and this together. Enumerations come from the code that defines them.
"""

import copy

from challenges.lifecycle import ChallengeStatus
from pilots.models import PilotStatus
from submissions.workflow import AWARDS

from .filters import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

LICENCE_NAME = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"

NULLABLE_DATE = {"type": ["string", "null"], "format": "date-time"}
URL = {"type": "string", "format": "uri"}
DATE = {"type": "string", "format": "date"}
MONEY = {"type": "string", "pattern": r"^-?\d+\.\d{2}$"}
NULLABLE_MONEY = {"type": ["string", "null"], "pattern": r"^-?\d+\.\d{2}$"}


def _object(description: str, properties: dict) -> dict:
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _page_of(name: str, description: str) -> dict:
    return _object(
        description,
        {
            "count": {"type": "integer", "minimum": 0, "description": "How many rows match, on every page."},
            "next": {"type": ["string", "null"], "format": "uri", "description": "The next page, or null."},
            "previous": {"type": ["string", "null"], "format": "uri", "description": "The previous page, or null."},
            "results": {"type": "array", "items": _ref(name)},
        },
    )


AWARD = {"type": "string", "enum": [str(award) for award in AWARDS], "description": "The award."}

SCHEMAS = {
    "Sponsor": _object(
        "The public body that set the challenge.",
        {
            "name": {"type": "string"},
            "slug": {"type": "string", "description": "Use it in the sponsor filter."},
        },
    ),
    "Theme": _object(
        "A policy area the challenge addresses.",
        {
            "name": {"type": "string"},
            "slug": {"type": "string", "description": "Use it in the theme filter."},
        },
    ),
    "ChallengeWinner": _object(
        "A published award for the challenge; the outcomes endpoint has its summary and rationale.",
        {
            "reference": {"type": "string", "description": "The proposal's reference, such as UC-2027-00042."},
            "title": {"type": "string"},
            "organisation": {"type": "string", "description": "The supplier's name."},
            "award": AWARD,
            "url": {**URL, "description": "The winner's public page."},
        },
    ),
    "Challenge": _object(
        "A published challenge. Dates are ISO 8601 in UK time, with the offset.",
        {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "url": {**URL, "description": "The challenge's page on this site."},
            "summary": {"type": "string"},
            "sponsor": _ref("Sponsor"),
            "themes": {"type": "array", "items": _ref("Theme")},
            "status": {
                "type": "string",
                "enum": list(ChallengeStatus.values),
                "description": "Where the challenge is in its lifecycle now.",
            },
            "opens_at": {"type": "string", "format": "date-time"},
            "closes_at": {"type": "string", "format": "date-time", "description": "Proposals close at this moment."},
            "judging_starts_at": NULLABLE_DATE,
            "announce_at": {**NULLABLE_DATE, "description": "When the winners are due to be announced."},
            "announced_at": {**NULLABLE_DATE, "description": "When the winners were announced; null until then."},
            "funding_available": {
                "type": "string",
                "pattern": r"^\d+\.\d{2}$",
                "description": "The total funding, a decimal in the currency given.",
            },
            "currency": {"type": "string", "const": "GBP", "description": "ISO 4217."},
            "winners": {
                "type": "array",
                "items": _ref("ChallengeWinner"),
                "description": "Empty until the winners are announced.",
            },
        },
    ),
    "ChallengeSummary": _object(
        "The challenge an award was made in.",
        {"id": {"type": "integer"}, "title": {"type": "string"}, "url": URL},
    ),
    "Outcome": _object(
        "An announced award whose supplier consented to publication.",
        {
            "reference": {"type": "string", "description": "The proposal's reference, such as UC-2027-00042."},
            "title": {"type": "string", "description": "The proposal's title."},
            "organisation": {"type": "string", "description": "The supplier's name."},
            "award": AWARD,
            "public_summary": {"type": "string", "description": "The supplier's summary of the proposal."},
            "public_rationale": {"type": "string", "description": "Why the panel made the award."},
            "url": {**URL, "description": "The winner's public page."},
            "challenge": _ref("ChallengeSummary"),
            "announced_at": {"type": "string", "format": "date-time"},
        },
    ),
    "PilotMeasure": _object(
        "An outcome measure published on the pilot's scorecard. Values are decimals in the measure's unit.",
        {
            "name": {"type": "string"},
            "unit": {"type": "string", "description": "What is counted, such as households or %."},
            "baseline": {**MONEY, "description": "Where the measure stood before the pilot."},
            "target": {**MONEY, "description": "What the pilot aims for."},
            "higher_is_better": {"type": "boolean"},
            "latest": {**NULLABLE_MONEY, "description": "The latest value of an accepted report; null before any."},
            "latest_on": {
                "type": ["string", "null"],
                "format": "date",
                "description": "The report date of the milestone the latest value was reported at.",
            },
        },
    ),
    "Pilot": _object(
        "The pilot an announced award pays for: only its public measures and the values of accepted reports.",
        {
            "challenge": _ref("ChallengeSummary"),
            "reference": {"type": "string", "description": "The proposal's reference, such as UC-2027-00042."},
            "organisation": {"type": "string", "description": "The supplier's name on the public record."},
            "url": {**URL, "description": "The winner's public page, with the scorecard."},
            "status": {"type": "string", "enum": list(PilotStatus.values)},
            "status_label": {"type": "string", "description": "The status in words."},
            "status_reason": {
                "type": "string",
                "description": "Why it is at risk, how it ended or why it was stopped; empty otherwise.",
            },
            "starts_on": DATE,
            "ends_on": DATE,
            "milestones_done": {"type": "integer", "minimum": 0, "description": "Milestones with an accepted report."},
            "milestones_total": {"type": "integer", "minimum": 0},
            "award_amount": {**MONEY, "description": "The award, in the currency given."},
            "paid": {**MONEY, "description": "The payments approved so far."},
            "currency": {"type": "string", "const": "GBP", "description": "ISO 4217."},
            "final_summary": {
                "type": "string",
                "description": "What the pilot achieved, once its final report is accepted; empty before.",
            },
            "measures": {"type": "array", "items": _ref("PilotMeasure")},
        },
    ),
    "ChallengeList": _page_of("Challenge", "One page of challenges, newest opening first."),
    "OutcomeList": _page_of("Outcome", "One page of outcomes, newest announcement first."),
    "PilotList": _page_of("Pilot", "One page of pilots, newest announcement first."),
    "Errors": _object(
        "What was wrong with the request, by parameter.",
        {"errors": {"type": "object", "additionalProperties": {"type": "string"}}},
    ),
}


def _parameter(name: str, description: str, schema: dict, example=None) -> dict:
    parameter = {"name": name, "in": "query", "required": False, "description": description, "schema": schema}
    if example is not None:
        parameter["example"] = example
    return parameter


def _repeatable(item: dict) -> dict:
    return {"type": "array", "items": item}


PARAMETERS = {
    "page": _parameter("page", "The page, from 1.", {"type": "integer", "minimum": 1, "default": 1}),
    "page_size": _parameter(
        "page_size",
        f"Rows per page. Above {MAX_PAGE_SIZE} is treated as {MAX_PAGE_SIZE}.",
        {"type": "integer", "minimum": 1, "default": DEFAULT_PAGE_SIZE},
    ),
    "status": _parameter(
        "status",
        "Challenges in this lifecycle status now. Repeat to match any of several.",
        _repeatable({"type": "string", "enum": list(ChallengeStatus.values)}),
        ["open"],
    ),
    "theme": _parameter(
        "theme",
        "A theme's slug. Repeat to match any of several.",
        _repeatable({"type": "string"}),
        ["homelessness"],
    ),
    "sponsor": _parameter(
        "sponsor",
        "A sponsor's slug. Repeat to match any of several.",
        _repeatable({"type": "string"}),
    ),
    "challenge_year": _parameter(
        "year",
        "The year the challenge closes (closed), in UK time. Repeat to match any of several.",
        _repeatable({"type": "integer", "minimum": 1000, "maximum": 9999}),
        [2025],
    ),
    "outcome_year": _parameter(
        "year",
        "The year the winners were announced, in UK time. Repeat to match any of several.",
        _repeatable({"type": "integer", "minimum": 1000, "maximum": 9999}),
        [2025],
    ),
    "pilot_status": _parameter(
        "status",
        "Pilots with this status now. Repeat to match any of several.",
        _repeatable({"type": "string", "enum": list(PilotStatus.values)}),
        ["on_track"],
    ),
    "challenge": _parameter(
        "challenge",
        "A challenge's id. Repeat to match any of several.",
        _repeatable({"type": "integer", "minimum": 1}),
    ),
}


def _params(*names: str) -> list[dict]:
    return [{"$ref": f"#/components/parameters/{name}"} for name in names]


def _json(schema: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def _csv(description: str) -> dict:
    return {"description": description, "content": {"text/csv": {"schema": {"type": "string"}}}}


BAD_REQUEST = _json("Errors", "A parameter has a value the API cannot use; the message says why.")
NOT_FOUND = _json("Errors", "No such page of results, or no such public challenge.")

CHALLENGE_PARAMS = _params("status", "theme", "sponsor", "challenge_year")
OUTCOME_PARAMS = _params("theme", "sponsor", "outcome_year")
PILOT_PARAMS = _params("pilot_status", "challenge")
THREESIXTYGIVING = "https://standard.threesixtygiving.org/en/latest/"

PATHS = {
    "/api/v1/challenges/": {
        "get": {
            "operationId": "listChallenges",
            "summary": "Published challenges",
            "parameters": [*CHALLENGE_PARAMS, *_params("page", "page_size")],
            "responses": {"200": _json("ChallengeList", "A page of challenges."), "400": BAD_REQUEST, "404": NOT_FOUND},
        }
    },
    "/api/v1/challenges/{id}/": {
        "get": {
            "operationId": "getChallenge",
            "summary": "One published challenge",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "responses": {"200": _json("Challenge", "The challenge."), "404": NOT_FOUND},
        }
    },
    "/api/v1/outcomes/": {
        "get": {
            "operationId": "listOutcomes",
            "summary": "Announced awards (winners and highly commended) whose suppliers consented to publication",
            "parameters": [*OUTCOME_PARAMS, *_params("page", "page_size")],
            "responses": {"200": _json("OutcomeList", "A page of outcomes."), "400": BAD_REQUEST, "404": NOT_FOUND},
        }
    },
    "/api/v1/pilots/": {
        "get": {
            "operationId": "listPilots",
            "summary": "The pilots of announced awards: status, milestones, payments and public outcome measures",
            "parameters": [*PILOT_PARAMS, *_params("page", "page_size")],
            "responses": {"200": _json("PilotList", "A page of pilots."), "400": BAD_REQUEST, "404": NOT_FOUND},
        }
    },
    "/data/challenges.csv": {
        "get": {
            "operationId": "downloadChallenges",
            "summary": "Every matching challenge as CSV (UTF-8 with a byte order mark)",
            "parameters": CHALLENGE_PARAMS,
            "responses": {"200": _csv("One row per challenge."), "400": BAD_REQUEST},
        }
    },
    "/data/outcomes.csv": {
        "get": {
            "operationId": "downloadOutcomes",
            "summary": "Every matching outcome as CSV (UTF-8 with a byte order mark)",
            "parameters": OUTCOME_PARAMS,
            "responses": {"200": _csv("One row per outcome."), "400": BAD_REQUEST},
        }
    },
    "/data/pilots.csv": {
        "get": {
            "operationId": "downloadPilots",
            "summary": "Every matching pilot as CSV: one row per public measure (a pilot without one has one row)",
            "parameters": PILOT_PARAMS,
            "responses": {"200": _csv("One row per pilot and public measure."), "400": BAD_REQUEST},
        }
    },
    "/data/360giving.json": {
        "get": {
            "operationId": "download360Giving",
            "summary": "Every award with an amount as a 360Giving Data Standard 1.4 data package",
            "externalDocs": {"url": THREESIXTYGIVING},
            "responses": {
                "200": {
                    "description": "A 360Giving data package; its schema is the standard's.",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        }
    },
    "/data/360giving.csv": {
        "get": {
            "operationId": "download360GivingCsv",
            "summary": "The same grants as CSV, under the 360Giving standard's column titles",
            "externalDocs": {"url": THREESIXTYGIVING},
            "responses": {"200": _csv("One row per grant.")},
        }
    },
}

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "Urban Challenge open data",
        "version": "1.0.0",
        "summary": "Published challenges, their announced winners and the winners' pilots.",
        "description": (
            "Read-only, with no key. Only public information: never scores, judges' comments, feedback, "
            "people, or proposals that were not selected, were withdrawn, or whose suppliers did not consent "
            "to publication."
        ),
        "license": {"name": LICENCE_NAME, "url": LICENCE_URL},
    },
    "paths": PATHS,
    "components": {"schemas": SCHEMAS, "parameters": PARAMETERS},
}


def openapi_document(server_url: str) -> dict:
    """The document with this site's address as its server, so tools call the site that served it."""
    document = copy.deepcopy(DOCUMENT)
    document["servers"] = [{"url": server_url.rstrip("/")}]
    return document
