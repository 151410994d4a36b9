from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command

from accounts.models import Organisation, User
from submissions.models import Proposal, ProposalStatus

STAGED = ("smarter-journeys-to-work", "warmer-homes-lower-bills")
"""The staged challenges, whose proposals have a version per stage: tests/demo/test_seed_stages.py."""
PAST = (
    "urban-challenge-well-being",
    "urban-challenge-homelessness",
    "urban-challenge-youth-unemployment",
    "urban-challenge-digital-citizenship",
)
"""The 2017-18 programme, with its pilots: tests/demo/test_seed_pilots.py."""


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_suppliers_have_drafts_and_submitted_proposals_and_can_sign_in(client):
    output = seed()
    assert set(Organisation.objects.values_list("name", flat=True)) == {
        "Brumtech Analytics Ltd",
        "Kindred Futures CIC",
        "Canalside Digital Ltd",
        "Black Country Learning Trust",
        "Routewise Mobility Ltd",
        # New with the staged challenges (tests/demo/test_seed_stages.py).
        "Tramline Labs Ltd",
        "Forge Mobility Co-operative",
        "Jewellery Quarter Data Works Ltd",
        "Heartlands Energy Advice CIC",
        # New with the 2017-18 programme's pilots (tests/demo/test_seed_pilots.py).
        "Lantern Health Tech Ltd",
        "Safe Harbour Data CIC",
        "Digital Neighbours Trust",
    }
    open_now = [p for p in Proposal.objects.select_related("challenge") if p.challenge.is_accepting_proposals()]
    statuses = sorted(p.status for p in open_now)
    assert statuses == [ProposalStatus.DRAFT] * 2 + [ProposalStatus.SUBMITTED] * 2
    submitted = Proposal.objects.exclude(status=ProposalStatus.DRAFT).exclude(challenge__slug__in=STAGED)
    # 2 on an open challenge, 9 on the two judged ones (tests/home/test_seed_judging.py), 10 from 2017-18
    assert submitted.count() == 11 + 10
    assert submitted.filter(challenge__slug__in=PAST).count() == 10
    assert all(p.reference and p.versions.count() == 1 and p.attachments.exists() for p in submitted)

    assert "Supplier, owner of Brumtech Analytics Ltd: ada@brumtech.example / urban-challenge-demo" in output
    assert client.login(username="ada@brumtech.example", password="urban-challenge-demo")
    dashboard = client.get("/proposals/").content.decode()
    assert "Early Help Finder" in dashboard and "Pathways Match" in dashboard


@pytest.mark.django_db
def test_staff_accounts_have_two_factor_and_a_printed_recovery_code():
    output = seed()
    for email in ("admin@urban-challenge.example", "manager@brindleford-city-council.example"):
        user = User.objects.get(email=email)
        assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert "two-factor recovery code" in output
    assert "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" in output


@pytest.mark.django_db
def test_seeding_again_keeps_one_version_per_submitted_proposal():
    seed()
    seed()
    one_stage = Proposal.objects.exclude(challenge__slug__in=STAGED)
    assert one_stage.count() == 13 + 10  # 10 in the 2017-18 programme
    assert one_stage.filter(challenge__slug__in=PAST).count() == 10
    assert all(p.versions.count() <= 1 for p in one_stage)
    # The administrator, two challenge managers and three judges.
    assert Authenticator.objects.filter(type=Authenticator.Type.TOTP).count() == 6
