"""A sponsor's managers never see another sponsor's unpublished pages anywhere in the admin: not in the page
chooser (browsing or searching), the admin search, the reports, the page-type listings, nor any page the admin
links to from there. Published pages are public anyway and may be chosen as links."""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse
from wagtail.search import index

from challenges.services import sponsor_grant_manager_access
from tests.factories import ChallengeIndexPageFactory, ChallengePageFactory, SponsorFactory, UserFactory
from tests.factories.challenges import make_manager

pytestmark = pytest.mark.django_db

SECRET = "Zebracrossing secret pilot"
LIVE_TITLE = "Brindleford open streets"


@pytest.fixture
def two_sponsors(listing, sponsor_index, sponsor):
    """West Midlands has an unpublished draft; Brindleford's manager looks around the admin."""
    draft = ChallengePageFactory(parent=sponsor_index, sponsor=sponsor, title=SECRET, slug="secret-pilot", live=False)
    draft.save_revision(log_action=True)
    brindleford = SponsorFactory(name="Brindleford City Council", slug="brindleford")
    section = ChallengeIndexPageFactory(parent=listing, title=brindleford.name, slug="brindleford", sponsor=brindleford)
    live = ChallengePageFactory(parent=section, sponsor=brindleford, title=LIVE_TITLE, slug="open-streets")
    # With a broker, saving a page queues its search indexing on commit; index them here so searches find them.
    for page in (draft, live):
        index.insert_or_update_object(page)
    sponsor_grant_manager_access(sponsor=sponsor)
    return draft, make_manager(brindleford, email="manager@brindleford.example")


def admin_links(html: str, base: str) -> set[str]:
    links = set()
    for href in re.findall(r'href="([^"#]+)"', html):
        url = urljoin(base, href.replace("&amp;", "&"))
        parts = urlsplit(url)
        if parts.netloc in ("", "testserver") and parts.path.startswith("/admin/") and "logout" not in parts.path:
            links.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


def test_another_sponsors_draft_is_nowhere_in_the_admin(client, two_sponsors, listing):
    draft, manager = two_sponsors
    client.force_login(manager)
    word = SECRET.split()[0]
    start = [
        "/admin/",
        f"/admin/choose-page/search/?q={word}",
        f"/admin/choose-page/search/?q={word}&page_type=challenges.challengepage",
        "/admin/choose-page/",
        f"/admin/choose-page/{listing.pk}/",
        f"/admin/choose-page/{draft.get_parent().pk}/",
        f"/admin/pages/search/?q={word}",
        "/admin/reports/page-types-usage/",
        "/admin/reports/page-types-usage/results/",
        "/admin/reports/site-history/",
        "/admin/reports/locked/",
        "/admin/reports/aging-pages/",
        "/admin/reports/workflow/",
        "/admin/reports/workflow_tasks/",
        "/admin/pages/usage/challenges/challengepage/",
        f"/admin/pages/usage/challenges/challengepage/?q={word}",
    ]
    seen, queue, leaks = set(), list(start), []
    while queue and len(seen) < 150:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith(("text/html", "application/json")):
            continue
        content = response.content.decode()
        if SECRET in content or SECRET.replace(" ", "\\u0020") in content:
            leaks.append(url)
        if url in start:  # follow the links of the starting pages one step
            queue += sorted(admin_links(content, url) - seen)
    assert not leaks, "\n".join(leaks)
    assert len(seen) > 40  # the crawl really went round the admin


def test_published_pages_of_other_sponsors_can_still_be_chosen_as_links(client, two_sponsors, sponsor_index):
    _, manager = two_sponsors
    live = ChallengePageFactory(parent=sponsor_index, title="Published elsewhere", slug="published-elsewhere")
    index.insert_or_update_object(live)
    client.force_login(manager)
    response = client.get("/admin/choose-page/search/", {"q": "Published"})
    assert live.title in response.content.decode()


def test_a_site_administrator_still_sees_every_draft(client, two_sponsors):
    client.force_login(UserFactory(is_staff=True, is_superuser=True, two_factor=True))
    admin_client = client
    response = admin_client.get("/admin/choose-page/search/", {"q": SECRET.split()[0]})
    assert SECRET in response.content.decode()
    report = admin_client.get(reverse("wagtailadmin_reports:page_types_usage"))
    assert SECRET in report.content.decode()
