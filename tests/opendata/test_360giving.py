"""The 360Giving data: a valid 1.4 data package of every award with an amount, and the same grants as CSV under the
standard's column titles; nothing the public record does not already show."""

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from challenges.models import Sponsor
from judging.models import Decision
from opendata.threesixtygiving import COLUMNS
from tests.factories.judging import closed_challenge
from tests.factories.pilots import make_pilot

from .conftest import SECRETS, decide

pytestmark = pytest.mark.django_db

STANDARD = Path(settings.BASE_DIR).parent / "shared" / "standards" / "360giving"
GRANT_SCHEMA_URLS = (
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.3/schema/360-giving-schema.json",
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json",
)
STANDARD_TITLES = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Award Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Grant Programme:Title",
    "Grant Programme:URL",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Last modified",
]


def validator():
    """The official package schema, with the grant schema registered locally under its URLs: nothing is fetched."""
    jsonschema = pytest.importorskip("jsonschema")
    referencing = pytest.importorskip("referencing")
    package_path, grant_path = STANDARD / "360-giving-package-schema.json", STANDARD / "360-giving-schema.json"
    if not package_path.exists() or not grant_path.exists():
        pytest.skip(f"The 360Giving schemas were not found: looked for {package_path} and {grant_path}")
    pytest.importorskip("rfc3339_validator", reason="needed to check the standard's date-time formats")
    grant = referencing.jsonschema.DRAFT202012.create_resource(json.loads(grant_path.read_text()))
    registry = referencing.Registry().with_resources((url, grant) for url in GRANT_SCHEMA_URLS)
    package = json.loads(package_path.read_text())
    return jsonschema.Draft202012Validator(
        package, registry=registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def set_amount(proposal, amount: str) -> None:
    Decision.objects.filter(proposal=proposal).update(amount=Decimal(amount))


@pytest.fixture
def grants_scene(published, sponsor_index, sponsor, manager):
    """``published`` with amounts on its awards: the winner's organisation has a Companies House number and a pilot,
    its sponsor an org-id; the 2021 winner's sponsor has none. An award with an amount in a challenge not yet
    announced, and one in a challenge taken down, must never appear."""
    Sponsor.objects.filter(pk=sponsor.pk).update(org_id="GB-CA-WMCA")
    organisation = published.winner.organisation
    organisation.companies_house_number = "01234567"
    organisation.save()
    set_amount(published.winner, "25000.00")
    set_amount(published.commended, "2500.50")
    quiet = published.announced.proposals.get(title="Quiet Achiever")
    set_amount(quiet, "1000")
    old_winner = published.old.proposals.get(title="Repairs Radar")
    set_amount(old_winner, "40000")
    for hidden in Decision.objects.filter(proposal__title="Hidden Winner"):
        set_amount(hidden.proposal, "999")
    pending = closed_challenge(sponsor_index, sponsor, title="Not yet announced", slug="not-yet")
    unannounced = decide(pending, manager, organisation="Too Soon Ltd", title="Too Soon", outcome="winner")
    set_amount(unannounced, "5000")
    make_pilot(published.winner)
    published.quiet = quiet
    published.old_winner = old_winner
    return published


def package(client) -> dict:
    response = client.get("/data/360giving.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    return response.json()


def by_id(grants: list[dict]) -> dict[str, dict]:
    return {grant["id"]: grant for grant in grants}


def test_the_package_is_valid_360giving_1_4(client, grants_scene):
    data = package(client)
    errors = sorted(validator().iter_errors(data), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)
    assert data["version"] == "1.4"
    assert data["license"] == "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
    assert data["publisher"] == {
        "name": "Urban Challenge",
        "prefix": "360G-urbanchallenge",
        "website": "http://testserver/",
    }
    assert data["downloadURL"] == "http://testserver/data/360giving.json"


def test_the_validator_catches_a_broken_grant(client, grants_scene):
    """The schemas really are applied: an amount as a string, or a grant without a funder, is refused."""
    data = package(client)
    data["grants"][0]["amountAwarded"] = "25000.00"
    del data["grants"][1]["fundingOrganization"]
    messages = [error.message for error in validator().iter_errors(data)]
    assert len(messages) == 2, messages


def test_every_announced_award_with_an_amount_and_nothing_else(client, grants_scene):
    grants = by_id(package(client)["grants"])
    scene = grants_scene
    expected = {scene.old_winner, scene.winner, scene.commended, scene.quiet}
    assert set(grants) == {f"360G-urbanchallenge-{proposal.pk}" for proposal in expected}
    text = json.dumps(grants, ensure_ascii=False)
    for secret in (*SECRETS, "Too Soon", "Not yet announced"):
        assert secret not in text


def test_identifiers_use_org_ids_where_known_and_the_prefix_otherwise(client, grants_scene):
    grants = by_id(package(client)["grants"])
    scene = grants_scene
    winner = grants[f"360G-urbanchallenge-{scene.winner.pk}"]
    assert winner["recipientOrganization"] == [
        {"id": "GB-COH-01234567", "name": "Brumtech Analytics Ltd", "companyNumber": "01234567"}
    ]
    assert winner["fundingOrganization"] == [{"id": "GB-CA-WMCA", "name": "West Midlands Combined Authority"}]
    commended = grants[f"360G-urbanchallenge-{scene.commended.pk}"]
    assert commended["recipientOrganization"] == [
        {"id": f"360G-urbanchallenge-org-{scene.commended.organisation_id}", "name": "Kindred Futures CIC"}
    ]
    old = grants[f"360G-urbanchallenge-{scene.old_winner.pk}"]
    gmca = scene.old.sponsor
    assert old["fundingOrganization"] == [{"id": f"360G-urbanchallenge-sponsor-{gmca.pk}", "name": gmca.name}]
    assert old["awardDate"] == "2021-04-12"
    assert old["grantProgramme"] == [
        {"code": f"challenge-{scene.old.pk}", "title": "Better housing repairs", "url": old["grantProgramme"][0]["url"]}
    ]
    assert old["grantProgramme"][0]["url"].startswith("http://testserver/")


def test_the_prefix_comes_from_the_setting(client, grants_scene, settings):
    settings.THREESIXTYGIVING_PREFIX = "360G-wmca"
    data = package(client)
    assert data["publisher"]["prefix"] == "360G-wmca"
    assert all(grant["id"].startswith("360G-wmca-") for grant in data["grants"])


def test_description_is_the_consented_summary_or_a_neutral_sentence(client, grants_scene):
    grants = by_id(package(client)["grants"])
    scene = grants_scene
    winner = grants[f"360G-urbanchallenge-{scene.winner.pk}"]
    assert winner["title"] == "Early Help Finder"
    assert winner["description"] == "Rent-arrears signals, explained to caseworkers."
    quiet = grants[f"360G-urbanchallenge-{scene.quiet.pk}"]
    assert quiet["title"] == "Highly commended in “Prevent homelessness with data”"
    assert quiet["description"] == "Quiet Ltd was highly commended in “Prevent homelessness with data”."


def test_amounts_are_numbers_and_planned_dates_come_from_the_pilot(client, grants_scene):
    raw = client.get("/data/360giving.json").content.decode()
    assert '"amountAwarded": 25000,' in raw or '"amountAwarded": 25000}' in raw or '"amountAwarded":25000' in raw
    grants = by_id(json.loads(raw)["grants"])
    scene = grants_scene
    assert grants[f"360G-urbanchallenge-{scene.commended.pk}"]["amountAwarded"] == 2500.5
    assert grants[f"360G-urbanchallenge-{scene.quiet.pk}"]["amountAwarded"] == 1000
    winner = grants[f"360G-urbanchallenge-{scene.winner.pk}"]
    assert winner["plannedDates"] == [{"startDate": "2026-01-05", "endDate": "2027-01-04"}]
    assert "plannedDates" not in grants[f"360G-urbanchallenge-{scene.commended.pk}"]


def test_the_csv_has_the_standards_titles_and_the_jsons_content(client, grants_scene):
    response = client.get("/data/360giving.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="360giving-' in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == STANDARD_TITLES == [title for title, _ in COLUMNS]
    grants = package(client)["grants"]
    assert len(lines) == len(grants) + 1
    for line, grant in zip(lines[1:], grants, strict=True):
        planned = grant.get("plannedDates", [{}])[0]
        assert line == [
            grant["id"],
            grant["title"],
            grant["description"],
            "GBP",
            str(grant["amountAwarded"]),
            grant["awardDate"],
            grant["recipientOrganization"][0]["id"],
            grant["recipientOrganization"][0]["name"],
            grant["fundingOrganization"][0]["id"],
            grant["fundingOrganization"][0]["name"],
            grant["grantProgramme"][0]["title"],
            grant["grantProgramme"][0]["url"],
            planned.get("startDate", ""),
            planned.get("endDate", ""),
            grant["dateModified"],
        ]


def test_the_csv_never_runs_a_formula(client, grants_scene):
    Decision.objects.filter(proposal=grants_scene.commended).update(recipient_name='=HYPERLINK("http://x")')
    response = client.get("/data/360giving.csv")
    assert "'=HYPERLINK" in response.content.decode("utf-8-sig")


def test_only_get_and_head(client, grants_scene):
    assert client.post("/data/360giving.json").status_code == 405
    assert client.post("/data/360giving.csv").status_code == 405
    assert client.head("/data/360giving.json").status_code == 200
