"""Blind judging: no judge page or download names the organisation, its people, its Companies House number or
the supplier's email. The same pages on a named challenge do show the organisation, so these checks can fail."""

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.models import Organisation
from judging.models import PanelInvitation
from judging.services.invitations import panel_invitation_token
from submissions.models import Attachment
from tests.factories import UserFactory
from tests.factories.judging import assign, closed_challenge, conflict, make_judge, seat
from tests.factories.organisations import make_organisation
from tests.factories.submissions import make_proposal
from tests.judging.buttons import press

pytestmark = pytest.mark.django_db

ORGANISATION = "Zephyrine Analytics Ltd"
UPLOADED_AS = "Zephyrine_Analytics_plan.pdf"
# Everything that would identify the supplier; none of it may reach a judge under blind judging.
IDENTIFYING = [
    "Zephyrine",
    "SC987654",
    "Xanthe",
    "Quillfeather",
    "Bartholomew",
    "Oyelaran",
    "founder@",
    "cto@",
]
# Never shown to a judge in either mode: only the organisation's name is, and only when judging is not blind.
NEVER = IDENTIFYING[1:]


@pytest.fixture(params=[True, False], ids=["blind", "named"])
def world(request, client, sponsor_index, sponsor):
    challenge = closed_challenge(sponsor_index, sponsor, title="Warm homes for everyone", blind_judging=request.param)
    founder = UserFactory(
        verified=True, email="founder@zephyrine.example", first_name="Xanthe", last_name="Quillfeather"
    )
    colleague = UserFactory(
        verified=True, email="cto@zephyrine.example", first_name="Bartholomew", last_name="Oyelaran"
    )
    organisation = make_organisation(colleague, name=ORGANISATION, owner=founder)
    Organisation.objects.filter(pk=organisation.pk).update(companies_house_number="SC987654")
    proposal = make_proposal(challenge, supplier=founder, organisation=organisation, title="Heat maps for damp homes")
    version = proposal.versions.get()
    question_id = next(
        item["id"] for block in version.questions for item in block["value"]["questions"] if item["type"] == "file"
    )
    attachment = Attachment(
        proposal=proposal,
        question_id=question_id,
        name=UPLOADED_AS,
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
        uploaded_by=founder,
    )
    attachment.file.save(UPLOADED_AS, ContentFile(b"%PDF-1.4\n"), save=False)
    attachment.save()
    entry = {"attachment": attachment.pk, "name": UPLOADED_AS, "sha256": "0" * 64}
    version.files = [{"question_id": question_id, "size": 9, **entry}]
    version.answers = {**version.answers, question_id: entry}
    version.save()
    judge = make_judge(email="judge@panel.example")
    seat(challenge, judge)
    review = assign(proposal, judge, confirmed=False)
    client.force_login(judge)
    return {
        "blind": request.param,
        "challenge": challenge,
        "proposal": proposal,
        "attachment": attachment,
        "judge": judge,
        "assignment_id": review.assignment_id,
    }


def pages_a_judge_sees(client, world) -> dict[str, object]:
    """Every judge page touching the proposal, in the order a judge meets them, plus the file download."""
    review_url = reverse("judging:review", args=[world["assignment_id"]])
    pages = {
        "dashboard before the check": client.get(reverse("judging:dashboard")),
        "conflict check": client.get(review_url),
        "conflict check with an error": press(client, world["assignment_id"], {"action": "conflict", "reason": ""}),
    }
    assert press(client, world["assignment_id"], {"action": "confirm"}).status_code == 302
    pages["proposal and scoring form"] = client.get(review_url)
    pages["incomplete submission"] = press(client, world["assignment_id"], {"action": "submit", "score-impact": "3"})
    pages["download"] = client.get(reverse("judging:download", args=[world["assignment_id"], world["attachment"].pk]))
    submitted = {"action": "submit", "score-impact": "3", "comment-impact": "Good", "score-delivery": "2"}
    pages["check before submitting"] = press(client, world["assignment_id"], submitted, confirm=False)
    assert press(client, world["assignment_id"], submitted).status_code == 302
    pages["submitted review"] = client.get(review_url)
    pages["dashboard after submitting"] = client.get(reverse("judging:dashboard"))
    pages["expertise"] = client.get(reverse("judging:expertise", args=[world["challenge"].pk]))
    invitation = PanelInvitation.objects.create(
        challenge=world["challenge"], stage=world["challenge"].first_stage, email=world["judge"].email
    )
    pages["invitation"] = client.get(reverse("judging:invitation_accept", args=[panel_invitation_token(invitation)]))
    return pages


def visible(response) -> str:
    content = b"" if response.streaming else response.content
    return content.decode() + response.get("Content-Disposition", "")


def test_no_judge_page_names_the_supplier_under_blind_judging(client, world):
    pages = pages_a_judge_sees(client, world)

    assert pages["download"].status_code == 200
    for name, response in pages.items():
        assert response.status_code in (200, 400), name
        shown = visible(response)
        for secret in IDENTIFYING if world["blind"] else NEVER:
            assert secret not in shown, f"{name} shows {secret!r}"
    reference = world["proposal"].reference
    if world["blind"]:
        neutral = f"{reference}-project-plan.pdf"
        assert pages["download"]["Content-Disposition"] == f'attachment; filename="{neutral}"'
        assert neutral in pages["proposal and scoring form"].content.decode()
    else:
        assert pages["download"]["Content-Disposition"] == f'attachment; filename="{UPLOADED_AS}"'
        for name in ("dashboard before the check", "conflict check", "proposal and scoring form", "submitted review"):
            assert ORGANISATION in pages[name].content.decode(), name


def test_declared_conflicts_list_a_proposal_by_reference_and_title_only(client, world):
    conflict(world["judge"], proposal=world["proposal"], reason="I mentor its founder")

    page = client.get(reverse("judging:conflicts"))

    table = BeautifulSoup(page.content, "html.parser").find("table").get_text(" ", strip=True)
    assert f"Proposal {world['proposal'].reference}: Heat maps for damp homes" in table
    assert "Zephyrine" not in table
    for secret in NEVER:
        assert secret not in page.content.decode()
