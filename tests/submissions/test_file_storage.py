"""What a proposal's files cost the platform: a replaced file that no submitted version refers to is deleted once
the upload commits, everything stored counts against the proposal's limit, an account may upload only so many
files an hour, and a request too big to be a page of answers is refused before its body is read."""

from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from submissions import file_cleanup, services
from submissions.models import Attachment

from .conftest import PDF, question_ids
from .test_flow import about, complete, delivery, solution, start, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]


def pdf(name: str, size: int = 0) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF + b"%" * size, content_type="application/pdf")


def stored_files(proposal) -> list[str]:
    storage = storages["private"]
    folder = f"proposals/{proposal.pk}"
    if not storage.exists(folder):
        return []
    directories, _ = storage.listdir(folder)
    return sorted(name for directory in directories for name in storage.listdir(f"{folder}/{directory}")[1])


def upload_plan(client, proposal, names, file, capture, **extra):
    with capture(execute=True):
        return client.post(
            reverse("submissions:section", args=[proposal.pk, 2]), {names["Project plan"]: file, **extra}
        )


def test_replacing_a_file_again_and_again_keeps_only_the_latest(
    supplier_client, challenge, organisation, django_capture_on_commit_callbacks
):
    proposal = start(supplier_client, challenge, organisation)
    names = question_ids(challenge)
    for n in range(8):
        upload_plan(supplier_client, proposal, names, pdf(f"plan-{n}.pdf", 1000), django_capture_on_commit_callbacks)

    current = proposal.attachments.get()
    assert current.name == "plan-7.pdf" and current.replaced_at is None
    assert stored_files(proposal) == ["plan-7.pdf"]


def test_a_file_an_earlier_submission_refers_to_is_kept_and_stays_downloadable(
    supplier_client, challenge, organisation, django_capture_on_commit_callbacks
):
    proposal = start(supplier_client, challenge, organisation)
    names = question_ids(challenge)
    complete(supplier_client, proposal, names)
    submit(supplier_client, proposal, django_capture_on_commit_callbacks)
    submitted = proposal.attachments.get()

    upload_plan(supplier_client, proposal, names, pdf("draft-2.pdf", 10), django_capture_on_commit_callbacks)
    upload_plan(supplier_client, proposal, names, pdf("draft-3.pdf", 20), django_capture_on_commit_callbacks)

    assert sorted(proposal.attachments.values_list("name", flat=True)) == ["draft-3.pdf", "plan.pdf"]
    assert stored_files(proposal) == ["draft-3.pdf", "plan.pdf"]
    download = supplier_client.get(reverse("submissions:download", args=[proposal.pk, submitted.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_removing_a_file_before_submitting_deletes_it(
    supplier_client, challenge, organisation, django_capture_on_commit_callbacks
):
    proposal = start(supplier_client, challenge, organisation)
    names = question_ids(challenge)
    upload_plan(supplier_client, proposal, names, pdf("plan.pdf"), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        supplier_client.post(
            reverse("submissions:section", args=[proposal.pk, 2]), {f"{names['Project plan']}-remove": "1"}
        )
    assert not proposal.attachments.exists()
    assert stored_files(proposal) == []


def test_a_failed_upload_loses_nothing_it_would_have_replaced(
    supplier_client, supplier, challenge, organisation, django_capture_on_commit_callbacks, monkeypatch
):
    proposal = start(supplier_client, challenge, organisation)
    names = question_ids(challenge)
    upload_plan(supplier_client, proposal, names, pdf("plan.pdf"), django_capture_on_commit_callbacks)
    question = next(q for section in services.proposal_sections(proposal) for q in section.questions
                    if q.label == "Project plan")  # fmt: skip

    def broken(*args, **kwargs):
        raise OSError("disk full")

    with monkeypatch.context() as patched, django_capture_on_commit_callbacks(execute=True), pytest.raises(OSError):
        patched.setattr(Attachment, "save", broken)
        services.attachment_add(proposal=proposal, question=question, upload=pdf("new.pdf"), by=supplier)

    assert proposal.attachments.get(replaced_at__isnull=True).name == "plan.pdf"
    assert "plan.pdf" in stored_files(proposal)


def test_files_kept_for_earlier_submissions_count_against_the_proposals_limit(
    supplier_client, challenge, organisation, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(services, "MAX_TOTAL_MB", 1)
    proposal = start(supplier_client, challenge, organisation)
    names = question_ids(challenge)
    assert supplier_client.post(reverse("submissions:section", args=[proposal.pk, 0]), about()).status_code == 302
    assert (
        supplier_client.post(reverse("submissions:section", args=[proposal.pk, 1]), solution(names)).status_code == 302
    )
    big = delivery(names, **{names["Project plan"]: pdf("plan.pdf", 600 * 1024)})
    assert supplier_client.post(reverse("submissions:section", args=[proposal.pk, 2]), big).status_code == 302
    submit(supplier_client, proposal, django_capture_on_commit_callbacks)

    response = upload_plan(
        supplier_client, proposal, names, pdf("plan-v2.pdf", 600 * 1024), django_capture_on_commit_callbacks,
        **{names["Can you start within 6 weeks?"]: "no"},
    )  # fmt: skip

    assert response.status_code == 400
    page = response.content.decode()
    assert "including those kept with earlier submissions, must add up to less than 1 MB" in page
    assert "This file would make them 1.2 MB" in page
    assert f'href="#{names["Project plan"]}"' in page
    proposal.refresh_from_db()
    assert proposal.answers[names["Can you start within 6 weeks?"][2:]] == "no"  # the rest of the page was saved
    assert list(proposal.attachments.values_list("name", flat=True)) == ["plan.pdf"]


def test_an_account_may_upload_only_so_many_files_an_hour(
    supplier_client, challenge, organisation, settings, django_capture_on_commit_callbacks
):
    settings.UPLOADS_PER_HOUR = 3
    proposal = start(supplier_client, challenge, organisation)
    names = question_ids(challenge)
    for n in range(3):
        response = upload_plan(
            supplier_client, proposal, names, pdf(f"plan-{n}.pdf"), django_capture_on_commit_callbacks
        )
        assert response.status_code == 302
    response = upload_plan(
        supplier_client, proposal, names, pdf("plan-3.pdf"), django_capture_on_commit_callbacks,
        **{names["Can you start within 6 weeks?"]: "yes"},
    )  # fmt: skip

    assert response.status_code == 400
    page = response.content.decode()
    assert "You have uploaded 3 files in the last hour, the most we allow. Your other answers are saved" in page
    assert f'href="#{names["Project plan"]}"' in page
    proposal.refresh_from_db()
    assert proposal.answers[names["Can you start within 6 weeks?"][2:]] == "yes"
    assert proposal.attachments.get().name == "plan-2.pdf"


def test_a_request_bigger_than_any_page_of_answers_is_refused_before_it_is_read(
    supplier_client, challenge, organisation, settings
):
    settings.MAX_REQUEST_BODY_MB = 1
    proposal = start(supplier_client, challenge, organisation)
    names = question_ids(challenge)
    url = reverse("submissions:section", args=[proposal.pk, 2])

    declared = supplier_client.post(url, {names["Declaration"]: "confirmed"}, CONTENT_LENGTH=str(2 * 1024 * 1024))
    assert declared.status_code == 413
    assert "A page can send at most 1 MB at once, and this one sent 2 MB. Nothing from that page was saved." in (
        declared.content.decode()
    )
    real = supplier_client.post(url, {names["Project plan"]: pdf("huge.pdf", 1024 * 1024)})
    assert real.status_code == 413
    proposal.refresh_from_db()
    assert not proposal.attachments.exists() and not proposal.answers


def test_the_daily_sweep_deletes_files_nothing_refers_to(
    supplier_client, challenge, organisation, django_capture_on_commit_callbacks, monkeypatch
):
    proposal = start(supplier_client, challenge, organisation)
    names = question_ids(challenge)
    complete(supplier_client, proposal, names)
    submit(supplier_client, proposal, django_capture_on_commit_callbacks)
    kept = proposal.attachments.get()
    storage = storages["private"]
    # What an older release left behind: a replaced file no version refers to, and a file with no row at all.
    legacy = Attachment.objects.create(
        proposal=proposal, question_id=kept.question_id, name="old.pdf", content_type="application/pdf",
        size=10, sha256="0" * 64, uploaded_by=kept.uploaded_by, replaced_at=kept.uploaded_at,
        file=storage.save(f"proposals/{proposal.pk}/{kept.question_id}/old.pdf", pdf("old.pdf")),
    )  # fmt: skip
    storage.save(f"proposals/{proposal.pk}/{kept.question_id}/orphan.pdf", pdf("orphan.pdf"))
    assert stored_files(proposal) == ["old.pdf", "orphan.pdf", "plan.pdf"]

    # An orphan younger than a day may be an upload whose row has not committed yet: it is left alone.
    assert file_cleanup.files_purge_unreferenced() == 1
    assert stored_files(proposal) == ["orphan.pdf", "plan.pdf"]
    assert not Attachment.objects.filter(pk=legacy.pk).exists()

    monkeypatch.setattr(file_cleanup, "GRACE", timedelta(0))
    assert file_cleanup.files_purge_unreferenced() == 1
    assert stored_files(proposal) == ["plan.pdf"]
    assert proposal.attachments.get() == kept
