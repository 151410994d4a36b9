"""Screening in the Wagtail admin: the challenge's proposals by status, moved on in bulk, one refusal at a time."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import Event
from submissions.models import Proposal, ProposalStatus
from tests.factories.submissions import make_proposal

S = ProposalStatus
pytestmark = pytest.mark.django_db


def url(scene, **query) -> str:
    path = reverse("judging_admin:proposals", args=(scene.challenge.pk,))
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def submitted(scene):
    """Two proposals waiting to be screened, and a draft the manager must never see."""
    first = make_proposal(scene.challenge, status=S.SUBMITTED, title="Tenancy sustainment app")
    second = make_proposal(scene.challenge, status=S.SUBMITTED, title="Hostel vacancy map")
    draft = make_proposal(scene.challenge, status=S.DRAFT, title="Unfinished idea")
    return first, second, draft


def test_the_manager_sees_every_proposal_but_drafts_with_judges_and_counts(manager_client, scene, submitted):
    first, _, draft = submitted
    abandoned = make_proposal(scene.challenge, title="Abandoned draft")
    Proposal.objects.filter(pk=abandoned.pk).update(status=S.WITHDRAWN, reference=None)
    response = manager_client.get(url(scene))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tenancy sustainment app" in html
    assert first.reference in html
    assert first.organisation.name in html
    assert f'href="{reverse("judging_admin:proposal", args=(scene.challenge.pk, first.pk))}"' in html
    assert "Early warning for rent arrears" in html
    assert "Unfinished idea" not in html
    assert "Abandoned draft" not in html
    assert "Withdrawn (0)" in html
    assert draft.reference not in html
    assert "Submitted (2)" in html
    assert "In assessment (2)" in html
    assert "All proposals (4)" in html
    assert "Eligible (0)" in html
    assert 'aria-current="page"' in html and ">Screening</a>" in html


def test_filtering_by_status_shows_only_that_status(manager_client, scene, submitted):
    html = manager_client.get(url(scene, status="submitted")).content.decode()
    assert "Tenancy sustainment app" in html
    assert "Early warning for rent arrears" not in html
    assert '<option value="submitted" selected>' in html


def test_an_unknown_status_is_ignored_with_a_message(manager_client, scene, submitted):
    response = manager_client.get(url(scene, status="approved"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is no status “approved”, so every proposal is shown." in html
    assert "Tenancy sustainment app" in html and "Early warning for rent arrears" in html


def test_the_move_targets_are_the_manager_moves_and_no_outcome(manager_client, scene, submitted):
    html = manager_client.get(url(scene)).content.decode()
    assert '<option value="eligible">Eligible</option>' in html
    assert '<option value="ineligible">Ineligible</option>' in html
    assert '<option value="moderation">Moderation</option>' in html
    assert '<option value="winner">' not in html
    assert '<option value="withdrawn">' not in html


def test_bulk_move_to_eligible_moves_them_and_logs_it(manager_client, scene, submitted):
    first, second, _ = submitted
    response = manager_client.post(url(scene), {"proposals": [first.pk, second.pk], "to": "eligible"})
    assert response.status_code == 302
    assert response.url == url(scene)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == S.ELIGIBLE
    html = manager_client.get(response.url).content.decode()
    assert "2 moved to eligible." in html
    assert Event.objects.filter(verb="screened eligible", actor=scene.manager).count() == 2


def test_bulk_move_reports_the_one_that_could_not_move_and_why(manager_client, scene, submitted):
    first, second, _ = submitted
    second.status = S.INELIGIBLE
    second.save()
    response = manager_client.post(url(scene), {"proposals": [first.pk, second.pk], "to": "eligible"})
    assert response.status_code == 302
    html = manager_client.get(response.url).content.decode()
    assert "1 moved to eligible." in html
    assert f"Not moved: {second.reference}. Say why the screening changed." in html
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == S.ELIGIBLE
    assert second.status == S.INELIGIBLE


def test_a_proposal_in_the_wrong_status_is_refused_with_its_reason(manager_client, scene, submitted):
    first, _, _ = submitted
    response = manager_client.post(url(scene), {"proposals": [first.pk, scene.proposal.pk], "to": "eligible"})
    html = manager_client.get(response.url).content.decode()
    assert "1 moved to eligible." in html
    assert f"Not moved: {scene.proposal.reference} is in assessment, so it cannot become eligible." in html


def test_ineligible_without_a_note_is_refused_and_the_selection_is_kept(manager_client, scene, submitted):
    first, second, _ = submitted
    response = manager_client.post(url(scene), {"proposals": [first.pk, second.pk], "to": "ineligible", "note": " "})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Give the reason the proposal is ineligible: the supplier is told it." in html
    assert f'id="select-{first.pk}" checked' in html
    assert '<option value="ineligible" selected>' in html
    first.refresh_from_db()
    assert first.status == S.SUBMITTED


def test_ineligible_with_a_note_moves_and_the_note_is_logged(manager_client, scene, submitted):
    first, _, _ = submitted
    response = manager_client.post(
        url(scene), {"proposals": [first.pk], "to": "ineligible", "note": "Not based in the region."}
    )
    assert response.status_code == 302
    assert "1 moved to ineligible." in manager_client.get(response.url).content.decode()
    assert Event.objects.get(verb="screened ineligible").note == "Not based in the region."


def test_nothing_selected_or_no_target_gets_clear_errors(manager_client, scene, submitted):
    response = manager_client.post(url(scene), {"note": "Kept as typed"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select at least one proposal to move." in html
    assert "Choose the status to move the selected proposals to." in html
    assert "Kept as typed</textarea>" in html


def test_a_proposal_of_another_challenge_cannot_be_slipped_in(manager_client, scene):
    theirs = make_proposal(scene.other_challenge, status=S.SUBMITTED)
    response = manager_client.post(url(scene), {"proposals": [theirs.pk], "to": "eligible"})
    assert response.status_code == 200
    assert "One of the proposals you selected is not in this challenge." in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.status == S.SUBMITTED


def queries_to_open(client, address) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_proposals(manager_client, scene):
    """The scene's two proposals (both with a judge), then ten: the same number of queries."""
    few = queries_to_open(manager_client, url(scene))
    for _ in range(8):
        make_proposal(scene.challenge, status=S.SUBMITTED)
    assert queries_to_open(manager_client, url(scene)) == few


# --- who is refused ------------------------------------------------------------------------------------------
# The Wagtail admin refuses in its own way, not with a bare 403: a manager of another sponsor raises
# PermissionDenied in ChallengeManagerMixin, which the admin turns into a redirect to the dashboard with
# "Sorry, you do not have permission to access this area."; people without admin access at all (judges,
# suppliers) never reach the view and are sent to sign in with "You do not have permission to access the
# admin.". These helpers are shared by the other test_admin_* modules.

ROLES = ["other manager", "judge", "supplier"]


def refused_user(scene, role: str):
    return {"other manager": scene.other_manager, "judge": scene.judges[0], "supplier": scene.supplier}[role]


def assert_refused(response, role: str, *, secrets=()) -> None:
    """``response`` was followed (``follow=True``): the first hop is the refusal, the page it lands on says why
    and shows none of ``secrets``."""
    first_hop, status = response.redirect_chain[0]
    assert status == 302
    if role == "other manager":
        assert first_hop == reverse("wagtailadmin_home")
        message = "Sorry, you do not have permission to access this area."
    else:
        assert first_hop.startswith(reverse("account_login"))
        message = "You do not have permission to access the admin."
    html = response.content.decode()
    assert message in html
    for secret in secrets:
        assert secret not in html


def row_text(html: str, marker: str) -> str:
    """The text of the table row holding ``marker``, tags dropped and spaces collapsed (sr-only text included)."""
    at = html.index(marker)
    row = html[html.rindex("<tr", 0, at) : html.index("</tr>", at)]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", row)).split())


def assert_sent_to_sign_in(response) -> None:
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login") + "?next=")


@pytest.mark.parametrize("role", ROLES)
def test_everyone_but_the_challenges_managers_is_refused(client, scene, submitted, role):
    first, _, _ = submitted
    client.force_login(refused_user(scene, role))
    secrets = [first.reference, "Tenancy sustainment app"]
    assert_refused(client.get(url(scene), follow=True), role, secrets=secrets)
    assert_refused(client.post(url(scene), {"proposals": [first.pk], "to": "eligible"}, follow=True), role)
    first.refresh_from_db()
    assert first.status == S.SUBMITTED
    assert not Event.objects.filter(verb="screened eligible").exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, scene, submitted):
    assert_sent_to_sign_in(client.get(url(scene)))
    assert_sent_to_sign_in(client.post(url(scene), {"proposals": [submitted[0].pk], "to": "eligible"}))
    submitted[0].refresh_from_db()
    assert submitted[0].status == S.SUBMITTED
