"""The judges' pages, in each state, audited by axe-core for WCAG 2.2 A/AA and for anything the
Content-Security-Policy blocked.
Each test checks it reached every URL name ``url_names.AUDITS`` lists for it (test_page_audit.py)."""

from challenges.models import Theme
from judging.models import PanelInvitation
from judging.services.invitations import panel_invitation_token
from tests.factories import UserFactory
from tests.factories.challenges import make_manager
from tests.factories.judging import assign, closed_challenge, make_judge, seat
from tests.factories.submissions import make_proposal

from .helpers import AUDIT_MARKS, click, go, sign_in_as
from .url_names import AUDITS

pytestmark = AUDIT_MARKS


def test_judge_pages(page, live_server, demo_site, audit, axe):
    challenge = closed_challenge(demo_site.sponsor_index, demo_site.challenge.sponsor, slug="judged")
    challenge.themes.set(Theme.objects.filter(slug__in=["homelessness", "open-data"]))
    proposal = make_proposal(challenge, title="Early warning for rent arrears")
    judge = make_judge(email="judge@panel.example")
    seat(challenge, judge)
    review = assign(proposal, judge, confirmed=False)
    manager = make_manager(challenge.sponsor)
    invitation = PanelInvitation.objects.create(
        challenge=challenge, stage=challenge.first_stage, email="newjudge@panel.example", invited_by=manager
    )
    newcomer = make_judge(email="newjudge@panel.example")

    sign_in_as(page, live_server, judge)
    audit.visit("/judging/", "judge-dashboard")
    audit.visit(f"/judging/assignments/{review.assignment_id}/", "judge-conflict-check")
    click(page, page.get_by_role("button", name="I have no conflict of interest"))
    audit("judge-review")
    audit.errors(page.get_by_role("button", name="Submit review"), "judge-review-errors")
    audit.visit("/judging/conflicts/", "judge-conflicts")
    audit.visit(f"/judging/panels/{challenge.pk}/expertise/", "judge-expertise")

    sign_in_as(page, live_server, newcomer)
    audit.visit(f"/judging/invitations/{panel_invitation_token(invitation)}/", "panel-invitation")
    audit.visit("/judging/invitations/forged/", "panel-invitation-unavailable")

    supplier = UserFactory(verified=True)
    sign_in_as(page, live_server, supplier)
    response = go(page, live_server, "/judging/")
    assert response.status == 403
    audit("judging-refused")
    audit.reached_all(AUDITS["judge_pages"])
