"""Builds the demo site. Every step finds what an earlier run made and brings it up to date, so running
it twice leaves one copy of everything, with dates moved on so each lifecycle status is still shown."""

from dataclasses import dataclass
from functools import lru_cache

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test import override_settings
from wagtail.models import Page

__all__ = ["DEMO_TOTP_SECRET", "build_demo_site"]

from accounts.models import User
from challenges.models import ChallengeFAQ, ChallengeIndexPage, ChallengePage, Sponsor, Theme
from challenges.services import sponsor_grant_manager_access
from challenges.stages import single_stage
from home.models import HomePage, StandardPage

from . import challenge_content, content
from .dates import uk_moment
from .judging import build_judging
from .pilots import build_pilots
from .stages import build_stages
from .suppliers import DEMO_TOTP_SECRET, build_suppliers, enable_staff_sign_in, question_set, rubric


@dataclass(frozen=True)
class Credential:
    role: str
    email: str
    password: str
    recovery_code: str = ""


def stream(blocks: list[tuple[str, object]]) -> list[dict]:
    """StreamField data in its stored form, from readable (block type, value) pairs."""
    return [{"type": block_type, "value": value} for block_type, value in blocks]


def publish(page: Page) -> Page:
    page.save_revision(log_action=False).publish(log_action=False)
    return page


def upsert_child(parent: Page, model: type[Page], *, slug: str, **fields) -> Page:
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
    else:
        for name, value in fields.items():
            setattr(page, name, value)
    return publish(page)


def build_home() -> HomePage:
    home = HomePage.objects.get()
    home.title = "Urban Challenge"
    home.lead = content.HOME_LEAD
    home.how_it_works = stream([("audience", panel) for panel in content.HOW_IT_WORKS])
    home.about = stream([("paragraph", content.ABOUT_PROGRAMME)])
    publish(home)
    for page in content.STANDARD_PAGES:
        upsert_child(
            home, StandardPage, slug=page["slug"], title=page["title"], lead=page["lead"], body=stream(page["body"])
        )
    return home


def build_sponsors(home: HomePage) -> tuple[ChallengeIndexPage, dict[str, ChallengeIndexPage]]:
    listing = upsert_child(
        home,
        ChallengeIndexPage,
        slug="challenges",
        title="Challenges",
        intro="<p>Public-service problems that mayors and councils want solved, and the funding to solve them.</p>",
    )
    sections = {}
    for data in (content.COMBINED_AUTHORITY, content.CITY_COUNCIL):
        sponsor, _ = Sponsor.objects.update_or_create(slug=data["slug"], defaults=data)
        sections[sponsor.slug] = upsert_child(
            listing,
            ChallengeIndexPage,
            slug=sponsor.slug,
            title=sponsor.name,
            sponsor=sponsor,
            intro=f"<p>{sponsor.description}</p>",
        )
    return listing, sections


def build_challenge(demo: challenge_content.DemoChallenge, section: ChallengeIndexPage, themes: dict[str, Theme]):
    page = upsert_child(
        section,
        ChallengePage,
        slug=demo.slug,
        title=demo.title,
        summary=demo.summary,
        sponsor=section.sponsor,
        problem_statement=stream(demo.problem),
        what_we_seek=demo.what_we_seek,
        eligibility=demo.eligibility,
        funding_available=demo.funding,
        funding_detail=demo.funding_detail,
        opens_at=uk_moment(demo.opens),
        closes_at=uk_moment(demo.closes),
        judging_starts_at=uk_moment(demo.judging_starts),
        judging_ends_at=uk_moment(demo.judging_ends),
        announce_at=uk_moment(demo.announce),
        contact_name="Challenge team",
        contact_email=f"challenges@{section.sponsor.slug}.example",
        themes=[themes[slug] for slug in demo.themes],
        faqs=[ChallengeFAQ(question=q, answer=a) for q, a in demo.faqs],
        stages=[_the_stage(demo, section)],
    )
    return page


STAGE_FIELDS = (
    "name",
    "kind",
    "opens_at",
    "closes_at",
    "questions",
    "rubric",
    "judges_per_proposal",
    "places",
    "blind_judging",
)


def _the_stage(demo: challenge_content.DemoChallenge, section: ChallengeIndexPage):
    """The challenge's one stage. A second run updates the stage already there: replacing it would delete the
    stage its proposals and submitted versions belong to, which the database rightly refuses."""
    stage = single_stage(
        uk_moment(demo.opens),
        uk_moment(demo.closes),
        questions=question_set(demo.slug),
        rubric=rubric(demo.slug),
        judges_per_proposal=demo.judges_per_proposal,
        places=demo.places,
    )
    existing = ChallengePage.objects.child_of(section).filter(slug=demo.slug).first()
    kept = existing.stage_list[0] if existing is not None and existing.stage_list else None
    if kept is None:
        return stage
    for name in STAGE_FIELDS:
        setattr(kept, name, getattr(stage, name))
    return kept


@lru_cache(maxsize=4)
def demo_password_hash(password: str) -> str:
    """Hashed once per run: a deliberately slow hash per demo account would make seeding slow."""
    return make_password(password)


def upsert_user(email: str, password: str, **fields) -> User:
    user = User.objects.filter(email__iexact=email).first() or User(email=email)
    for name, value in fields.items():
        setattr(user, name, value)
    user.password = demo_password_hash(password)
    user.save()
    return user


def build_people(sections: dict[str, ChallengeIndexPage], password: str) -> list[Credential]:
    credentials = []
    admin_email = "admin@urban-challenge.example"
    admin = upsert_user(admin_email, password, first_name="Ada", last_name="Admin", is_staff=True, is_superuser=True)
    codes = enable_staff_sign_in(admin)
    credentials.append(Credential("Site administrator", admin_email, password, codes[0]))
    for section in sections.values():
        sponsor = section.sponsor
        group = sponsor_grant_manager_access(sponsor=sponsor)
        email = f"manager@{sponsor.slug}.example"
        manager = upsert_user(email, password, first_name="Challenge", last_name="Manager", is_staff=False)
        manager.groups.add(group)
        codes = enable_staff_sign_in(manager)
        credentials.append(Credential(f"Challenge manager, {sponsor.name}", email, password, codes[0]))
    return credentials


def build_demo_site(*, password: str) -> list[Credential]:
    """Build everything in one transaction. The demo's receipts and security notices are recorded in the
    outbox but not delivered: the addresses are fictional, and the console should show the credentials."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
        return _build(password)


def _build(password: str) -> list[Credential]:
    home = build_home()
    _, sections = build_sponsors(home)
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    for demo in challenge_content.CHALLENGES:
        build_challenge(demo, sections[demo.sponsor], themes)
    credentials = build_people(sections, password)
    for role, email in build_suppliers(upsert_user, password):
        credentials.append(Credential(role, email, password))
    for role, email, recovery_code in build_judging(upsert_user, password):
        credentials.append(Credential(role, email, password, recovery_code))
    for role, email in build_stages(upsert_user, password, sections, themes):
        credentials.append(Credential(role, email, password))
    for role, email in build_pilots(upsert_user, password, sections, themes, build_challenge):
        credentials.append(Credential(role, email, password))
    return credentials
