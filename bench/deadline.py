"""Deadline spike (`make bench-deadline`): N suppliers finish, upload and submit in the last minute before closing.

Every supplier has their own verified account, organisation and half-written draft, seeded straight into a
throwaway PostgreSQL database. The site runs under gunicorn with production settings and a real Celery worker
on Redis, so receipts are sent by tasks. Each supplier then does, over HTTP with its own session and CSRF tokens
read from the forms: sign in through allauth's form; and, in the spike, answer the rest of the questions, upload
a unique 5 MB PDF, open "Check your answers", submit and open the confirmation. Afterwards the script checks that
exactly N proposals were submitted, N receipts sent (outbox rows and emails on disk, once each) and N files
stored whose SHA-256 matches what was sent; then one more supplier submits a second after the deadline and must
be refused. Run with --help for the options; see bench/README.md.
"""

import argparse
import hashlib
import os
import re
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import redis
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import load_average, tune_database
from bench.deadline_checks import build_report, cpu_snapshot, cpu_used, verify, wait_for_receipts
from bench.server import DEFAULT_SETTINGS, ROOT, _settings_module, celery_worker, served

PASSWORD = "deadline-spike-password-2027"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REASON = re.compile(r'<h1 class="govuk-heading-l">([^<]+)</h1>\s*<p class="govuk-body">([^<]+)</p>')


@dataclass
class Supplier:
    n: int
    email: str
    proposal: int
    session: requests.Session = field(default_factory=requests.Session)
    sha256: str = ""
    form_token: str = ""
    submit_status: int = 0


@dataclass
class Timings:
    records: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def request(self, supplier: Supplier, kind: str, method: str, url: str, *, expect: int, **kwargs):
        started = time.monotonic()
        try:
            response = supplier.session.request(method, url, allow_redirects=False, timeout=120, **kwargs)
            status = response.status_code
        except requests.RequestException as error:
            response, status = None, f"{type(error).__name__}"
        ended = time.monotonic()
        with self.lock:
            self.records.append((kind, status, ended - started, started, ended))
            if status != expect:
                body = response.text[:300] if response is not None else ""
                self.errors.append((kind, status, supplier.email, body))
        if status != expect:
            raise RuntimeError(f"{kind} for {supplier.email}: {status}")
        return response


# --- seeding --------------------------------------------------------------------------------------------------


def questions() -> list[dict]:
    def q(kind, ident, label, **options):
        return {"type": kind, "id": ident, "value": {"label": label, "help_text": "", "required": True, **options}}

    def choices(*names):
        return [{"type": "item", "value": name, "id": f"choice-{i}"} for i, name in enumerate(names)]

    return [
        {
            "type": "section",
            "id": "solution",
            "value": {
                "title": "Your solution",
                "description": "",
                "questions": [
                    q("long_text", "describe", "Describe your solution", word_limit=300),
                    q("short_text", "product", "Product name", max_length=80),
                    q("number", "cost", "Cost of the pilot", min_value="0", max_value="100000", unit="£"),
                    q("single_choice", "stage", "Stage of development", choices=choices("Idea", "Prototype", "In use")),
                ],
            },
        },
        {
            "type": "section",
            "id": "delivery",
            "value": {
                "title": "Delivery",
                "description": "",
                "questions": [
                    q("yes_no", "start", "Can you start within 6 weeks?"),
                    q("date", "start_date", "Earliest start date"),
                    q("file", "plan", "Project plan", allowed_types=["pdf"], max_size_mb=10),
                    q("declaration", "declaration", "Declaration", statement="We meet the eligibility criteria."),
                ],
            },
        },
    ]


def seed(count: int) -> tuple[int, list[Supplier]]:
    """One open challenge and ``count`` suppliers with a verified account, an organisation and a half-done draft."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Membership, Organisation, User
    from challenges.models import ChallengeIndexPage, ChallengePage, Sponsor, Theme
    from challenges.stages import single_stage
    from home.models import HomePage
    from submissions.models import Proposal

    now = timezone.now()
    with transaction.atomic():
        sponsor = Sponsor.objects.create(name="Deadline Combined Authority", slug="deadline-ca")
        index = HomePage.objects.first().add_child(
            instance=ChallengeIndexPage(title="Deadline challenges", slug="deadline-challenges", sponsor=sponsor)
        )
        challenge = index.add_child(
            instance=ChallengePage(
                title="Deadline spike challenge",
                slug="deadline-spike",
                summary="Two hundred suppliers submit in the last minute.",
                sponsor=sponsor,
                problem_statement=[],
                what_we_seek="<p>Proposals, quickly.</p>",
                eligibility="<p>Anyone.</p>",
                funding_available=100000,
                opens_at=now - timedelta(days=30),
                closes_at=now + timedelta(days=1),
                stages=[single_stage(now - timedelta(days=30), now + timedelta(days=1), questions=questions())],
            )
        )
        challenge.themes.set([Theme.objects.create(name="Deadline", slug="deadline")])
        challenge.save()
        hashed = make_password(PASSWORD)
        users = User.objects.bulk_create(
            User(email=f"supplier{n}@deadline.example", first_name="Supplier", last_name=str(n), password=hashed)
            for n in range(count)
        )
        EmailAddress.objects.bulk_create(
            EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
        )
        organisations = Organisation.objects.bulk_create(
            Organisation(name=f"Deadline Supplier {n} Ltd", slug=f"deadline-supplier-{n}", size="small")
            for n in range(count)
        )
        Membership.objects.bulk_create(
            Membership(organisation=o, user=u, role="owner") for o, u in zip(organisations, users, strict=True)
        )
        stage = challenge.first_stage
        proposals = Proposal.objects.bulk_create(
            Proposal(
                challenge=challenge,
                stage=stage,
                organisation=organisation,
                created_by=user,
                title=f"Proposal from supplier {n}",
                public_summary="A tool that helps the council act before a deadline is missed.",
                consent_to_publish=True,
                answers={"describe": "We find households at risk early.", "product": f"Finder {n}"},
            )
            for n, (organisation, user) in enumerate(zip(organisations, users, strict=True))
        )
    return challenge.pk, [Supplier(n, u.email, p.pk) for n, (u, p) in enumerate(zip(users, proposals, strict=True))]


# --- one supplier over HTTP -------------------------------------------------------------------------------------


def token(response) -> str:
    match = CSRF.search(response.text)
    if not match:
        raise RuntimeError(f"no CSRF token on {response.url}")
    return match.group(1)


def sign_in(base: str, supplier: Supplier, timings: Timings) -> None:
    """allauth's sign-in form, then the section the supplier left half done."""
    # Each simulated supplier comes from its own address, as they would through the load balancer; allauth
    # rate-limits sign-ins per address (30 a minute), and the run's settings trust one proxy hop.
    supplier.session.headers["X-Forwarded-For"] = (
        f"10.{supplier.n // 65536}.{supplier.n // 256 % 256}.{supplier.n % 256}"
    )
    page = timings.request(supplier, "sign-in form", "GET", f"{base}/account/login/", expect=200)
    data = {"csrfmiddlewaretoken": token(page), "login": supplier.email, "password": PASSWORD}
    timings.request(supplier, "sign in", "POST", f"{base}/account/login/", expect=302, data=data)
    open_form(base, supplier, timings)


def make_pdf(n: int, size: int) -> bytes:
    head = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + f"% supplier {n}\n".encode()
    tail = b"\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    return head + os.urandom(size - len(head) - len(tail)) + tail


def open_form(base: str, supplier: Supplier, timings: Timings) -> None:
    """Before the spike: the supplier has the half-answered section open in the browser."""
    page = timings.request(
        supplier, "section form", "GET", f"{base}/proposals/{supplier.proposal}/section/1/", expect=200
    )
    supplier.form_token = token(page)


def finish(base: str, supplier: Supplier, timings: Timings, *, size: int) -> None:
    """Save the open section, follow on to the next, answer it and upload the plan, as a browser does."""
    url = f"{base}/proposals/{supplier.proposal}"
    answers = {
        "csrfmiddlewaretoken": supplier.form_token,
        "q-describe": "We find households at risk early.",
        "q-product": f"Finder {supplier.n}",
        "q-cost": f"{25000 + supplier.n}",
        "q-stage": "Prototype",
    }
    saved = timings.request(supplier, "answers", "POST", f"{url}/section/1/", expect=302, data=answers)
    page = timings.request(supplier, "next section", "GET", base + saved.headers["Location"], expect=200)
    pdf = make_pdf(supplier.n, size)
    supplier.sha256 = hashlib.sha256(pdf).hexdigest()
    delivery = {
        "csrfmiddlewaretoken": token(page),
        "q-start": "yes",
        "q-start_date-day": "1",
        "q-start_date-month": "3",
        "q-start_date-year": "2027",
        "q-declaration": "confirmed",
    }
    files = {"q-plan": (f"plan-{supplier.n}.pdf", pdf, "application/pdf")}
    timings.request(supplier, "upload 5 MB", "POST", f"{url}/section/2/", expect=302, data=delivery, files=files)


def submit(base: str, supplier: Supplier, timings: Timings, *, expect: int = 302):
    url = f"{base}/proposals/{supplier.proposal}"
    page = timings.request(supplier, "check answers", "GET", f"{url}/check/", expect=200)
    response = timings.request(
        supplier, "submit", "POST", f"{url}/submit/", expect=expect, data={"csrfmiddlewaretoken": token(page)}
    )
    supplier.submit_status = response.status_code
    confirmation = response.headers["Location"]
    body = timings.request(supplier, "confirmation", "GET", base + confirmation, expect=200).text
    if "UC-" not in body:
        raise RuntimeError(f"the confirmation page for {supplier.email} shows no reference")


def spike_one(base: str, supplier: Supplier, timings: Timings, *, size: int) -> None:
    try:
        finish(base, supplier, timings, size=size)
        submit(base, supplier, timings)
    except RuntimeError:
        pass  # recorded in timings.errors


def late_submit(base: str, late: Supplier, closes_at, result: dict) -> None:
    """One second after the deadline, press "Submit proposal" on the check page opened before it."""
    from django.utils import timezone

    from submissions.models import Proposal

    while timezone.now() < closes_at + timedelta(seconds=1):
        time.sleep(0.02)
    late_at = timezone.now()
    url = f"{base}/proposals/{late.proposal}/submit/"
    response = late.session.post(url, data={"csrfmiddlewaretoken": late.form_token}, allow_redirects=False)
    match = REASON.search(response.text)
    result["message"] = f"{match.group(1)}: {match.group(2)}" if match else response.text[:300]
    still_draft = Proposal.objects.get(pk=late.proposal).status == "draft"
    result["check"] = (
        f"submit {(late_at - closes_at).total_seconds():.1f} s after the deadline refused, still a draft",
        f"HTTP {response.status_code}",
        response.status_code == 403 and still_draft,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--suppliers", type=int, default=200)
    parser.add_argument("--threads", type=int, default=16, help="suppliers at work at once")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--gunicorn-threads", type=int, default=1)
    parser.add_argument("--celery-concurrency", type=int, default=2)
    parser.add_argument("--file-mb", type=float, default=5)
    parser.add_argument("--lead", type=float, default=62, help="seconds from the spike's start to the deadline")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_deadline")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5", help="broker and cache; flushed first")
    parser.add_argument("--keep", action="store_true", help="keep the database and files afterwards")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results-deadline.md"))
    args = parser.parse_args()
    size = int(args.file_mb * 1024 * 1024)
    args.load = load_average()
    print(f"Load average at the start (1 / 5 / 15 min): {args.load}", flush=True)

    work = Path(tempfile.mkdtemp(prefix="bench-deadline-"))
    mail_folder, private = work / "mail", work / "private"
    mail_folder.mkdir()
    env = {
        "DATABASE_URL": args.database_url,
        # Each gunicorn worker keeps its database connection, as a production deployment sets it to.
        "DATABASE_CONN_MAX_AGE": "60",
        "CACHE_URL": args.redis_url,
        "CELERY_BROKER_URL": args.redis_url,
        "EMAIL_FILE_PATH": str(mail_folder),
        "PRIVATE_MEDIA_ROOT": str(private),
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
    }
    overrides = {"ALLAUTH_TRUSTED_PROXY_COUNT": 1}
    module, path = _settings_module(DEFAULT_SETTINGS, work, overrides)
    sys.path.insert(0, path)
    os.environ.update(env, DJANGO_SETTINGS_MODULE=module)
    parts = urlsplit(args.database_url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    settings = tune_database(args.database_url)
    args.pg_settings = ", ".join(f"`{setting} = {value}`" for setting, value in settings.items())
    redis.Redis.from_url(args.redis_url).flushdb()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from challenges.models import ChallengePage
    from challenges.stages import Stage

    try:
        started = time.monotonic()
        call_command("migrate", verbosity=0, interactive=False)
        challenge_id, suppliers = seed(args.suppliers + 1)
        late = suppliers.pop()
        print(f"Seeded {args.suppliers} suppliers (+1 late) in {time.monotonic() - started:.1f} s")
        timings = Timings()
        with (
            celery_worker(
                database_url=args.database_url,
                broker_url=args.redis_url,
                concurrency=args.celery_concurrency,
                env=env,
                settings_overrides=overrides,
            ) as worker,
            served(
                database_url=args.database_url,
                workers=args.workers,
                worker_class=args.worker_class,
                threads=args.gunicorn_threads,
                env=env,
                celery_broker_url=args.redis_url,
                settings_overrides=overrides,
            ) as base,
        ):
            started = time.monotonic()
            with ThreadPoolExecutor(args.threads) as pool:
                list(pool.map(lambda s: sign_in(base, s, timings), [*suppliers, late]))
            finish(base, late, timings, size=size)
            late.form_token = token(late.session.get(f"{base}/proposals/{late.proposal}/check/"))
            print(f"{args.suppliers + 1} suppliers signed in through allauth in {time.monotonic() - started:.1f} s")
            sign_ins = [r for r in timings.records if r[0] == "sign in"]
            timings.records[:] = sign_ins

            from django.utils import timezone

            closes_at = timezone.now() + timedelta(seconds=args.lead)
            # The challenge's deadline is its first (here only) stage's: both move together, as saving the page does.
            ChallengePage.objects.filter(pk=challenge_id).update(closes_at=closes_at)
            Stage.objects.filter(page_id=challenge_id).update(closes_at=closes_at)
            print(f"Deadline set to {closes_at:%H:%M:%S} UTC; the spike starts now, {args.lead:.0f} s before it")
            cpu_before = cpu_snapshot(base, worker)
            spike_start = time.monotonic()
            late_result = {}
            late_thread = threading.Thread(target=late_submit, args=(base, late, closes_at, late_result))
            late_thread.start()
            with ThreadPoolExecutor(args.threads) as pool:
                list(pool.map(lambda s: spike_one(base, s, timings, size=size), suppliers))
            spike_end = max((r[4] for r in timings.records if r[0] == "submit"), default=time.monotonic())
            cpu = cpu_used(cpu_before, cpu_snapshot(base, worker))
            left = (closes_at - timezone.now()).total_seconds()
            print(f"Spike done {left:.1f} s before the deadline; waiting for the receipts")
            waited = wait_for_receipts(challenge_id, timeout=300)
            checks = verify(challenge_id, suppliers, mail_folder)

            late_thread.join()
            checks.append(late_result["check"])
        report = build_report(args, timings, checks, spike_start, spike_end, waited, late_result["message"], cpu)
        print(report)
        Path(args.output).write_text(report + "\n")
        print(f"Written to {args.output}")
        return 0 if all(met for _, _, met in checks) and not timings.errors else 1
    finally:
        connection.close()
        if not args.keep:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            import shutil

            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
