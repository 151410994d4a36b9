"""What the deadline spike measures and checks afterwards (bench/deadline.py): CPU used, latencies, receipts sent
once each, files stored intact; and the report it writes."""

import hashlib
import os
import sys
import time
from email import message_from_bytes
from pathlib import Path

from bench.server import group_cpu_seconds

RECEIPT = "submissions/email/receipt"


def cpu_snapshot(server, worker) -> dict:
    """CPU seconds so far: gunicorn, the Celery worker, this database's PostgreSQL backends, and this script."""
    from django.db import connection

    ticks = os.sysconf("SC_CLK_TCK")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        pids = [row[0] for row in cursor.fetchall()]
    backends = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        backends[pid] = (int(fields[11]) + int(fields[12])) / ticks
    usage = os.times()
    return {
        "gunicorn": group_cpu_seconds(server.pid),
        "celery": group_cpu_seconds(worker.pid),
        "postgres": backends,
        "client": usage.user + usage.system,
    }


def cpu_used(before: dict, after: dict) -> dict:
    postgres = sum(seconds - before["postgres"].get(pid, 0.0) for pid, seconds in after["postgres"].items())
    return {key: after[key] - before[key] for key in ("gunicorn", "celery", "client")} | {"postgres": postgres}


# --- checks and report ------------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def emails_on_disk(folder: Path) -> list:
    messages = []
    for path in sorted(folder.glob("*.log")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(message_from_bytes(chunk))
    return messages


def wait_for_receipts(challenge_id: int, *, timeout: float) -> float:
    """Seconds until every submitted proposal's receipt is marked sent (or the timeout)."""
    from notifications.models import Notification
    from submissions.models import Proposal

    started = time.monotonic()
    expected = Proposal.objects.filter(challenge_id=challenge_id, status="submitted").count()
    while time.monotonic() - started < timeout:
        if Notification.objects.filter(template=RECEIPT, status="sent").count() >= expected:
            break
        time.sleep(0.5)
    return time.monotonic() - started


def verify(challenge_id: int, suppliers: list, mail_folder: Path) -> list[tuple[str, str, bool]]:
    """What must hold after the spike, each as (check, figure, met)."""
    from django.core.files.storage import storages

    from notifications.models import Notification
    from submissions.models import Attachment, Proposal, ProposalVersion

    n = len(suppliers)
    submitted = Proposal.objects.filter(challenge_id=challenge_id, status="submitted").count()
    versions = ProposalVersion.objects.filter(proposal__challenge_id=challenge_id).count()
    outbox = list(Notification.objects.filter(template=RECEIPT).values_list("to_email", "status"))
    sent_to = [to for to, status in outbox if status == "sent"]
    on_disk = [m["To"] for m in emails_on_disk(mail_folder) if m["Subject"].startswith("Proposal received")]
    attachments = list(
        Attachment.objects.filter(proposal__in=[s.proposal for s in suppliers], replaced_at__isnull=True)
    )
    by_proposal = {a.proposal_id: a for a in attachments}
    storage = storages["private"]
    matching = 0
    for supplier in suppliers:
        attachment = by_proposal.get(supplier.proposal)
        if attachment is None or attachment.sha256 != supplier.sha256:
            continue
        digest = hashlib.sha256()
        with storage.open(attachment.file.name, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        matching += digest.hexdigest() == supplier.sha256
    manifests = sum(
        1
        for version in ProposalVersion.objects.filter(proposal__challenge_id=challenge_id)
        for item in version.files
        if item["sha256"] == next((s.sha256 for s in suppliers if s.proposal == version.proposal_id), None)
    )
    accepted = sorted(s.email for s in suppliers if s.submit_status == 302)
    once_each = sorted(sent_to) == accepted
    return [
        ("submitted proposals", f"{submitted} of {n}", submitted == n),
        ("submits the server accepted (302)", f"{len(accepted)}", len(accepted) == n),
        ("submitted versions, one per accepted submit", f"{versions}", versions == len(accepted) == submitted),
        ("receipts in the outbox, all sent", f"{len(sent_to)} of {len(outbox)} rows", len(sent_to) == len(outbox) == n),
        (
            "receipt rows: once per accepted submit, none else",
            "yes" if once_each else "NO",
            once_each,
        ),
        ("receipt emails on disk", f"{len(on_disk)} to {len(set(on_disk))} addresses", sorted(on_disk) == accepted),
        ("stored files whose SHA-256 matches what was sent", f"{matching} of {len(attachments)}", matching == n),
        ("version manifests naming the sent file's SHA-256", f"{manifests}", manifests == n),
    ]


def latency_rows(timings) -> list[str]:
    rows = []
    for kind in ("sign in", "answers", "next section", "upload 5 MB", "check answers", "submit", "confirmation"):
        values = [r[2] for r in timings.records if r[0] == kind]
        if values:
            rows.append(
                f"| {kind} | {len(values)} | {percentile(values, 0.5) * 1000:,.0f} | "
                f"{percentile(values, 0.95) * 1000:,.0f} | {max(values) * 1000:,.0f} |"
            )
    return rows


SPIKE_KINDS = ("answers", "next section", "upload 5 MB", "check answers", "submit", "confirmation")
TARGET_RATE = 10
TARGET_CPU_MS = 80
TARGET_P95_S = 2


def yes(met: bool) -> str:
    return "yes" if met else "**NO**"


def target_rows(*, rate, duration, per_submission, submit_p95, spike_p95, server_errors, other_errors, checks) -> list:
    """Issue 15's targets for the deadline spike, each as a table row: figure, measured, target, met."""
    lost = [check for check, _, met in checks if not met]
    return [
        f"| submissions/s over the spike ({duration:.1f} s) | {rate:.1f} | ≥ {TARGET_RATE} | "
        f"{yes(rate >= TARGET_RATE)} |",
        f"| CPU per submission (gunicorn + PostgreSQL) | {per_submission * 1000:,.0f} ms | ≤ {TARGET_CPU_MS} ms | "
        f"{yes(per_submission * 1000 <= TARGET_CPU_MS)} |",
        f"| submit p95 | {submit_p95 * 1000:,.0f} ms | ≤ {TARGET_P95_S:,} s | {yes(submit_p95 <= TARGET_P95_S)} |",
        f"| p95 of every request in the spike | {spike_p95 * 1000:,.0f} ms | ≤ {TARGET_P95_S:,} s | "
        f"{yes(spike_p95 <= TARGET_P95_S)} |",
        f"| nothing lost (every check below) | {len(checks) - len(lost)} of {len(checks)} checks hold | all | "
        f"{yes(not lost)} |",
        f"| 5xx responses | {server_errors} | 0 | {yes(server_errors == 0)} |",
        f"| other errors | {other_errors} | 0 | {yes(other_errors == 0)} |",
    ]


def build_report(args, timings, checks, spike_start, spike_end, waited, message, cpu) -> str:
    submits = [r for r in timings.records if r[0] == "submit" and r[1] == 302]
    duration = spike_end - spike_start
    rate = len(submits) / duration if duration > 0 else 0
    statuses: dict = {}
    for kind, status, *_ in timings.errors:
        statuses[f"{kind} → {status}"] = statuses.get(f"{kind} → {status}", 0) + 1
    server_errors = sum(1 for r in timings.records if isinstance(r[1], int) and r[1] >= 500)
    per_submission = (cpu["gunicorn"] + cpu["postgres"]) / max(1, len(submits))
    capacity = (os.cpu_count() or 1) / per_submission if per_submission else 0
    submit_p95 = percentile([r[2] for r in submits], 0.95) if submits else float("inf")
    spike = [r[2] for r in timings.records if r[0] in SPIKE_KINDS]
    spike_p95 = percentile(spike, 0.95) if spike else float("inf")
    end_load = " / ".join(f"{load:.2f}" for load in os.getloadavg())
    targets = target_rows(
        rate=rate,
        duration=duration,
        per_submission=per_submission if submits else float("inf"),
        submit_p95=submit_p95,
        spike_p95=spike_p95,
        server_errors=server_errors,
        other_errors=sum(statuses.values()) - server_errors,
        checks=checks,
    )
    lines = [
        "# Deadline spike",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {os.cpu_count()} cores; load average "
        f"(1 / 5 / 15 min) at the start of the run {args.load}, at the end {end_load} (above the core count, other "
        "work competed and the wall-clock figures are noisy; CPU per submission is not) with:",
        "",
        "```sh",
        "make bench-deadline BENCH_ARGS='" + " ".join(sys.argv[1:]) + "'",
        "```",
        "",
        f"{args.suppliers} suppliers, {args.threads} at a time, each signed in through allauth's form (own session,",
        f"CSRF from the forms); gunicorn: {args.workers} {args.worker_class} workers, {args.gunicorn_threads} threads;",
        f"Celery worker (concurrency {args.celery_concurrency}) on Redis; {args.file_mb:g} MB PDF per supplier.",
        f"PostgreSQL as a deployment sets it (`ALTER DATABASE ... SET`): {args.pg_settings}.",
        "",
        "| figure | measured | target (issue 15) | met |",
        "|---|---:|---:|---|",
        *targets,
        f"| all receipts sent, seconds after the spike | {waited:.1f} s | — | — |",
        "",
        "CPU used during the spike, which shows what the flow costs however busy the machine was: "
        f"gunicorn {cpu['gunicorn']:.1f} s, PostgreSQL backends {cpu['postgres']:.1f} s, Celery worker "
        f"{cpu['celery']:.1f} s, this load generator {cpu['client']:.1f} s. Per submitted proposal the site "
        f"(gunicorn + PostgreSQL) used {per_submission * 1000:,.0f} ms of CPU, so {os.cpu_count()} cores given to "
        f"it alone would carry about {capacity:.1f} submissions/s of this whole flow.",
        "",
        "| request | count | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|",
        *latency_rows(timings),
        "",
        "Errors by request and status: " + (", ".join(f"{k}: {v}" for k, v in statuses.items()) or "none") + ".",
        "",
        "| afterwards | found | as expected |",
        "|---|---|---|",
        *[f"| {check} | {figure} | {'yes' if met else 'NO'} |" for check, figure, met in checks],
        "",
        f"The late supplier was told: “{message}”",
    ]
    return "\n".join(lines)
