"""Every public page (home, listings, challenges in each status, standard pages, the archive, open data, the
page-not-found page), audited by axe-core for WCAG 2.2 A/AA and for anything the Content-Security-Policy blocked.
Each test checks it reached every URL name ``url_names.AUDITS`` lists for it (test_page_audit.py)."""

from datetime import timedelta

from django.utils import timezone
from wagtail.models import PageViewRestriction

from archive.services import archive_sync_challenge
from challenges.models import Theme
from home.models import StandardPage
from judging.services.decisions import challenge_announce, decision_record
from submissions.models import ProposalStatus
from tests.factories.challenges import make_manager
from tests.factories.judging import closed_challenge
from tests.factories.submissions import make_proposal

from .helpers import AUDIT_MARKS, challenge_like, click, go, heading
from .url_names import AUDITS

pytestmark = AUDIT_MARKS


def test_public_pages(page, live_server, demo_site, audit, axe):
    now = timezone.now()
    about = demo_site.home.add_child(
        instance=StandardPage(title="About the challenges", slug="about", lead="Who runs the challenges.", body=[])
    )
    upcoming = challenge_like(
        demo_site, "upcoming-challenge", opens_at=now + timedelta(days=5), closes_at=now + timedelta(days=30)
    )
    closed = challenge_like(
        demo_site, "closed-challenge", opens_at=now - timedelta(days=30), closes_at=now - timedelta(hours=1)
    )
    judging = closed_challenge(
        demo_site.sponsor_index, demo_site.challenge.sponsor, slug="judging-challenge", title="Judging challenge"
    )
    archived = challenge_like(
        demo_site, "archived-challenge", opens_at=now - timedelta(days=900), closes_at=now - timedelta(days=800)
    )
    announced = closed_challenge(
        demo_site.sponsor_index, demo_site.challenge.sponsor, slug="announced", title="Fewer evictions"
    )
    announced.themes.set(Theme.objects.filter(slug="homelessness"))
    announced.save()
    proposal = make_proposal(announced, title="Early warning for rent arrears", status=ProposalStatus.MODERATION)
    manager = make_manager(announced.sponsor)
    decision_record(
        proposal=proposal, outcome="winner", feedback="Clear.", public_rationale="Reached households early.", by=manager
    )
    challenge_announce(challenge=announced, by=manager)
    # Enough archived challenges for a second page of search results (20 a page).
    for number in range(21):
        past = challenge_like(
            demo_site,
            f"past-bus-challenge-{number}",
            opens_at=now - timedelta(days=900 + number),
            closes_at=now - timedelta(days=800 + number),
        )
        archive_sync_challenge(past.pk)  # what publishing through the admin schedules

    audit.visit(demo_site.home.url, "home")
    audit.visit(about.url, "standard-page")
    audit.visit(demo_site.listing.url, "challenge-listing")
    audit.visit(demo_site.sponsor_index.url, "sponsor-challenges")
    for state, challenge in [
        ("open", demo_site.challenge),
        ("upcoming", upcoming),
        ("closed", closed),
        ("judging", judging),
        ("winners-announced", announced),
        ("archived", archived),
    ]:
        go(page, live_server, challenge.url)
        assert heading(page) == challenge.title
        audit(f"challenge-{state}")
    go(page, live_server, demo_site.challenge.url)
    assert page.get_by_text("Can a consortium apply?").is_visible()  # the FAQ

    go(page, live_server, "/archive/?q=bus")
    assert "Past bus challenge" in page.locator("main").inner_text()
    audit("archive-results")
    click(page, page.get_by_role("link", name="Next"))
    assert "page=2" in page.url
    audit("archive-results-page-2")
    audit.visit("/archive/?q=zzzxqnothing", "archive-no-results")
    go(page, live_server, "/archive/?q=rent+arrears&kind=winner&theme=homelessness")
    assert "Early warning for rent arrears" in page.locator("main").inner_text()
    audit("archive-filtered")
    audit.visit("/archive/winners/", "winners-gallery")
    click(page, page.get_by_role("link", name="Early warning for rent arrears").first)
    assert heading(page) == "Early warning for rent arrears"
    audit("winner")
    audit.visit("/data/", "open-data")
    response = go(page, live_server, "/no-such-page/")
    assert response.status == 404
    audit("not-found")

    private = demo_site.home.add_child(instance=StandardPage(title="Panel notes", slug="panel-notes", body=[]))
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="s3cret")
    go(page, live_server, private.url)
    assert heading(page) == "Password required"
    audit.errors(page.get_by_role("button", name="Continue"), "page-password-errors")
    go(page, live_server, f"/_util/login/?next={private.url}")
    assert heading(page) == "Sign in"
    assert page.url.endswith(f"/account/login/?next={private.url.replace('/', '%2F')}")
    audit.reached_all(AUDITS["public_pages"])
