"""What `make bench` needs to know about the seeded site, found in-process (Django set up with the bench settings):
the pages to measure, and signed-in sessions for the demo administrator and the demo supplier.

Used by bench/run.py (the URLs wrk measures) and bench/scaling.py (the public pages it times at two sizes), so
both measure the same pages, chosen the same way on either database.
"""

import sys
from importlib import import_module

SUPPLIER_EMAIL = "ada@brumtech.example"
ADMIN_EMAIL = "admin@urban-challenge.example"
ARCHIVE_BROAD = "council"
ARCHIVE_SELECTIVE = "digital skills"


def session_cookie(user) -> str:
    """The session ``django.contrib.auth.login`` would write for ``user``, as a Cookie header value, with a CSRF
    cookie as a browser that has been on the site sends it (so a page with a form need not set a new one)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.crypto import get_random_string

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    csrf = f"{settings.CSRF_COOKIE_NAME}={get_random_string(32)}"
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {csrf}"


def archive_filter() -> str:
    """A filter-only archive search (no words): the theme of the newest archive entry that has one."""
    from urllib.parse import urlencode

    from archive.models import ArchiveEntry
    from challenges.models import Theme

    slugs = ArchiveEntry.objects.exclude(theme_slugs=[]).order_by("-date").values_list("theme_slugs", flat=True)
    slug = next(iter(slugs[:1]), [None])[0] or Theme.objects.order_by("pk").values_list("slug", flat=True).first()
    return f"/archive/?{urlencode({'theme': slug})}"


def winner_page() -> str | None:
    """A published winner's page, preferably one whose pilot has a public scorecard (the demo has some)."""
    from archive.models import ArchiveEntry
    from pilots.models import Pilot

    winners = ArchiveEntry.objects.filter(kind="winner", proposal__isnull=False).order_by("pk")
    entry = winners.filter(proposal_id__in=Pilot.objects.values("decision__proposal_id")).first() or winners.first()
    return entry.url if entry else None


def public_pages() -> list[tuple[str, str]]:
    """(name, path) of the public pages measured at both sizes, in table order."""
    from urllib.parse import urlencode

    from challenges.models import ChallengeIndexPage, ChallengePage

    listing = ChallengeIndexPage.objects.live().filter(sponsor__isnull=True).order_by("path").first()
    challenge = (
        ChallengePage.objects.live()
        .open_for_proposals()
        .exclude(summary__startswith="A generated")
        .order_by("closes_at")
        .first()
    )
    pages = [("home page", "/"), ("challenge listing", listing.url), ("challenge page", challenge.url)]
    pages += [
        (f"archive search, broad ({ARCHIVE_BROAD!r})", f"/archive/?{urlencode({'q': ARCHIVE_BROAD})}"),
        (f"archive search, selective ({ARCHIVE_SELECTIVE!r})", f"/archive/?{urlencode({'q': ARCHIVE_SELECTIVE})}"),
        ("archive search, filter only (a theme)", archive_filter()),
        ("winners gallery", "/archive/winners/"),
    ]
    winner = winner_page()
    if winner:
        pages.append(("winner page with its pilot scorecard", winner))
    return pages


SUPPLIER_PAGES = (
    "supplier: proposals dashboard",
    "supplier: a proposal's task list",
    "supplier: a section (question page)",
)


def supplier_pages() -> tuple[str | None, list[tuple[str, str | None]], str]:
    """(session cookie, [(name, path or None)], note) for the demo supplier: her proposals dashboard, and the
    task list and first section of a draft of hers on a challenge open for proposals. Suppliers need no
    two-factor (accounts/middleware.py guards only the admin and judging areas). A page that cannot be measured
    has no path, and the note says why."""
    from accounts.models import User
    from challenges.models import ChallengePage
    from submissions.models import Proposal

    supplier = User.objects.filter(email=SUPPLIER_EMAIL, is_active=True).first()
    if supplier is None:
        note = f"no active demo supplier {SUPPLIER_EMAIL} in this database: supplier pages NOT measured"
        return None, [(name, None) for name in SUPPLIER_PAGES], note
    draft = (
        Proposal.objects.filter(
            created_by=supplier,
            status="draft",
            challenge__in=ChallengePage.objects.live().open_for_proposals().values("pk"),
        )
        .order_by("pk")
        .first()
    )
    dashboard, task_list, section = SUPPLIER_PAGES
    if draft is None:
        note = (
            f"{SUPPLIER_EMAIL} has no draft on a challenge open for proposals in this database, so her task list "
            "and section pages were NOT measured (they would only redirect or refuse)"
        )
        return session_cookie(supplier), [(dashboard, "/proposals/"), (task_list, None), (section, None)], note
    pages = [
        (dashboard, "/proposals/"),
        (task_list, f"/proposals/{draft.pk}/"),
        (section, f"/proposals/{draft.pk}/section/1/"),
    ]
    return session_cookie(supplier), pages, ""


def admin_cookie() -> str:
    from accounts.models import User
    from accounts.two_factor import has_two_factor

    admin = User.objects.get(email=ADMIN_EMAIL)
    if not (admin.is_superuser and has_two_factor(admin)):
        sys.exit("The demo administrator must be a superuser with an authenticator app (seed_demo makes it so).")
    # Two-factor is satisfied as accounts/middleware.py checks it: the account has a TOTP authenticator.
    return session_cookie(admin)
