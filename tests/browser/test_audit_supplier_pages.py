"""The organisation and proposal pages a supplier uses, in each state, audited by axe-core for WCAG 2.2 A/AA and for
anything the Content-Security-Policy blocked.
Each test checks it reached every URL name ``url_names.AUDITS`` lists for it (test_page_audit.py)."""

from datetime import timedelta

from django.utils import timezone

from accounts.tokens import invitation_token
from submissions.models import ProposalStatus
from tests.factories import UserFactory
from tests.factories.organisations import InvitationFactory, make_organisation
from tests.factories.submissions import make_proposal, standard_question_set

from .helpers import AUDIT_MARKS, challenge_like, click, go, sign_in_as, title
from .url_names import AUDITS

pytestmark = AUDIT_MARKS


def test_organisation_pages(page, live_server, demo_site, audit, axe):
    owner = UserFactory(email="ada@brumtech.example", verified=True)
    member = UserFactory(email="bob@brumtech.example", verified=True)
    organisation = make_organisation(member, owner=owner)
    invitation = InvitationFactory(organisation=organisation, invited_by=owner, email="cat@brumtech.example")
    stranger = UserFactory(email="cat@brumtech.example", verified=True)
    other = make_organisation(name="Kind Homes CIC", owner=UserFactory(verified=True))

    sign_in_as(page, live_server, owner)
    go(page, live_server, "/organisations/")
    audit("organisations")
    go(page, live_server, "/organisations/new/")
    audit("organisation-create")
    click(page, page.get_by_role("button").filter(has_text="organisation").first)
    assert title(page).startswith("Error: ")
    audit("organisation-create-errors")
    go(page, live_server, f"/organisations/{organisation.slug}/")
    audit("organisation")
    go(page, live_server, f"/organisations/{organisation.slug}/edit/")
    audit("organisation-edit")
    go(page, live_server, f"/organisations/{organisation.slug}/invite/")
    audit("organisation-invite")
    page.get_by_label("Email address").fill("not an email")
    click(page, page.locator("main form").get_by_role("button").last)
    assert title(page).startswith("Error: ")
    audit("organisation-invite-errors")
    go(page, live_server, f"/organisations/{organisation.slug}/invitations/{invitation.pk}/revoke/")
    audit("invitation-revoke")
    membership = organisation.memberships.get(user=member)
    go(page, live_server, f"/organisations/{organisation.slug}/members/{membership.pk}/remove/")
    audit("member-remove")
    response = go(page, live_server, f"/organisations/{other.slug}/")
    assert response.status in (403, 404)
    audit("organisation-forbidden")

    sign_in_as(page, live_server, member)
    go(page, live_server, f"/organisations/{organisation.slug}/leave/")
    audit("organisation-leave")

    sign_in_as(page, live_server, stranger)
    go(page, live_server, f"/organisations/invitations/{invitation_token(invitation)}/")
    audit("invitation-accept")
    go(page, live_server, "/organisations/invitations/not-a-token/")
    audit("invitation-unavailable")
    audit.reached_all(AUDITS["organisation_pages"])


def test_supplier_proposal_pages(page, live_server, demo_site, supplier_on_challenge, audit, axe, tmp_path):
    challenge = supplier_on_challenge
    go(page, live_server, "/proposals/")
    audit("proposals-empty")
    go(page, live_server, f"/proposals/start/{challenge.pk}/")
    audit("proposal-start")
    click(page, page.get_by_role("button", name="Start proposal"))
    audit("proposal-task-list")
    proposal_url = page.url.removeprefix(live_server.url)
    go(page, live_server, f"{proposal_url}section/0/")
    audit("proposal-section-about")
    go(page, live_server, f"{proposal_url}section/1/")
    audit("proposal-section-solution")
    page.get_by_label("Describe your solution").fill(" ".join(["word"] * 60))
    page.get_by_label("Cost of the pilot").fill("999999")
    click(page, page.get_by_role("button", name="Save and continue"))
    assert title(page).startswith("Error: ")
    audit("proposal-section-solution-errors")
    go(page, live_server, f"{proposal_url}section/2/")
    audit("proposal-section-delivery")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2027")
    click(page, page.get_by_role("button", name="Save and return to your proposal"))
    assert title(page).startswith("Error: ")
    audit("proposal-section-delivery-errors")
    go(page, live_server, f"{proposal_url}check/")
    audit("proposal-check-answers-incomplete")

    go(page, live_server, f"/questions/ask/{challenge.pk}/")
    audit("clarification-ask")
    click(page, page.get_by_role("button").filter(has_text="question").first)
    assert title(page).startswith("Error: ")
    audit("clarification-ask-errors")
    page.get_by_label("Your question").fill("Can a consortium apply?")
    click(page, page.get_by_role("button").filter(has_text="question").first)
    go(page, live_server, "/questions/mine/")
    assert "Can a consortium apply?" in page.locator("main").inner_text()
    audit("clarifications-mine")
    closed = challenge_like(
        demo_site, "closed-for-questions", opens_at=timezone.now() - timedelta(days=30), closes_at=timezone.now()
    )
    go(page, live_server, f"/questions/ask/{closed.pk}/")
    audit("clarification-closed")
    go(page, live_server, f"/proposals/start/{closed.pk}/")
    audit("proposal-closed")
    audit.reached_all(AUDITS["supplier_proposal_pages"])


def test_submitted_proposal_pages(page, live_server, demo_site, audit, axe):
    challenge = challenge_like(demo_site, "still-open", proposal_questions=standard_question_set())
    supplier = UserFactory(email="ada@brumtech.example", verified=True)
    proposal = make_proposal(challenge, supplier=supplier, title="Early warning", status=ProposalStatus.SUBMITTED)
    sign_in_as(page, live_server, supplier)
    go(page, live_server, "/proposals/")
    audit("proposals")
    go(page, live_server, f"/proposals/{proposal.pk}/")
    audit("proposal-submitted")
    go(page, live_server, f"/proposals/{proposal.pk}/submitted/1/")
    audit("proposal-receipt")
    go(page, live_server, f"/proposals/{proposal.pk}/withdraw/")
    audit("proposal-withdraw")
    audit.reached_all(AUDITS["submitted_proposal_pages"])
