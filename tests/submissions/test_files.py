"""Uploads are judged by their content, limited in size, renamed safely, scanned when a scanner is set up,
and a rejected file never costs the supplier their other answers."""

import hashlib
import io
import os
import socket
import struct
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from submissions.files import check_upload, detect_type, sanitise_filename
from submissions.services import proposal_start

from .conftest import PDF, question_ids

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def upload(name, content, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("content", "expected"),
    [(PDF, "pdf"), (PNG, "png"), (EXE, None), (b"name,amount\nA,1\n", "csv"), (b"\x00\x01\x02binary", None)],
)
def test_type_comes_from_the_content(content, expected):
    assert detect_type(content) == expected


def test_a_program_renamed_to_pdf_is_refused():
    with pytest.raises(ValidationError) as error:
        check_upload(upload("plan.pdf", EXE), allowed_types=["pdf"], max_size_mb=1)
    assert error.value.messages == ["The selected file must be a PDF"]


def test_the_message_names_every_allowed_type():
    with pytest.raises(ValidationError) as error:
        check_upload(upload("photo.pdf", PNG), allowed_types=["pdf", "docx"], max_size_mb=1)
    assert error.value.messages == ["The selected file must be a PDF or Word"]


def test_oversized_and_empty_files_are_refused():
    with pytest.raises(ValidationError, match="must be smaller than 1 MB"):
        check_upload(upload("big.pdf", PDF + b"0" * (1024 * 1024)), allowed_types=["pdf"], max_size_mb=1)
    with pytest.raises(ValidationError, match="The selected file is empty"):
        check_upload(upload("empty.pdf", b""), allowed_types=["pdf"], max_size_mb=1)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\ada\\Project plan (final).PDF", "Project_plan_final.pdf"),
        ("<script>alert(1)</script>.pdf", "script.pdf"),
        ("...", "file.pdf"),
        ("report.exe", "report.pdf"),
    ],
)
def test_filenames_are_made_safe_and_take_the_proven_extension(name, expected):
    assert sanitise_filename(name, "pdf") == expected


@pytest.mark.django_db
def test_a_rejected_file_keeps_the_other_answers_on_the_page(supplier_client, challenge, organisation, supplier):
    proposal = proposal_start(challenge=challenge, organisation=organisation, by=supplier)
    names = question_ids(challenge)
    response = supplier_client.post(
        reverse("submissions:section", args=[proposal.pk, 2]),
        {
            names["Can you start within 6 weeks?"]: "yes",
            names["Declaration"]: "confirmed",
            names["Project plan"]: upload("plan.pdf", EXE),
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "The selected file must be a PDF" in body
    assert f'href="#{names["Project plan"]}"' in body  # the error summary links to the field
    proposal.refresh_from_db()
    assert proposal.answers[names["Can you start within 6 weeks?"][2:]] == "yes"
    assert proposal.answers[names["Declaration"][2:]] is True
    assert not proposal.attachments.exists()


@pytest.mark.django_db
def test_a_good_file_is_stored_privately_with_its_digest(supplier_client, challenge, organisation, supplier):
    proposal = proposal_start(challenge=challenge, organisation=organisation, by=supplier)
    names = question_ids(challenge)
    supplier_client.post(
        reverse("submissions:section", args=[proposal.pk, 2]), {names["Project plan"]: upload("My plan.pdf", PDF)}
    )
    attachment = proposal.attachments.get()
    assert attachment.name == "My_plan.pdf"
    assert attachment.file.read() == PDF
    assert attachment.file.name.startswith(f"proposals/{proposal.pk}/")

    supplier_client.post(
        reverse("submissions:section", args=[proposal.pk, 2]), {names["Project plan"]: upload("v2.pdf", PDF + b"%")}
    )
    # No submission refers to the first file, so it is not kept (test_file_storage.py has the rest of the rule).
    assert proposal.attachments.get().name == "v2.pdf"


class FakeClamd:
    """A clamd stand-in on a Unix socket that speaks INSTREAM and finds the EICAR test string."""

    def __init__(self, path):
        self.path = path
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen(1)
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        conn, _ = self.server.accept()
        with conn:
            command = b""
            while not command.endswith(b"\0"):
                command += conn.recv(1)
            assert command == b"zINSTREAM\0"
            data = b""
            while True:
                size = struct.unpack("!L", conn.recv(4, socket.MSG_WAITALL))[0]
                if size == 0:
                    break
                data += conn.recv(size, socket.MSG_WAITALL)
            verdict = b"stream: Eicar-Test-Signature FOUND" if b"EICAR" in data else b"stream: OK"
            conn.sendall(verdict + b"\0")

    def close(self):
        self.server.close()


@pytest.fixture
def clamd(tmp_path, settings):
    path = os.path.join(tmp_path, "clamd.sock")
    server = FakeClamd(path)
    settings.CLAMAV_SOCKET = path
    yield server
    server.close()


@pytest.mark.django_db
def test_an_infected_file_is_quarantined_with_a_clear_message(clamd):
    from django.core.files.storage import storages

    with pytest.raises(ValidationError) as error:
        check_upload(upload("eicar.csv", EICAR, "text/csv"), allowed_types=["csv"], max_size_mb=1)
    assert error.value.messages == ["The selected file contains a virus. It has been quarantined and was not added"]
    _, quarantined = storages["private"].listdir("quarantine")
    assert len(quarantined) == 1


def test_a_clean_file_passes_the_scanner(clamd):
    checked = check_upload(upload("plan.pdf", PDF), allowed_types=["pdf"], max_size_mb=1)
    assert checked.extension == "pdf"


def test_a_scanner_that_does_not_answer_refuses_rather_than_lets_through(settings, tmp_path):
    settings.CLAMAV_SOCKET = str(tmp_path / "missing.sock")
    with pytest.raises(ValidationError, match="could not be checked for viruses"):
        check_upload(upload("plan.pdf", PDF), allowed_types=["pdf"], max_size_mb=1)


@pytest.mark.django_db
def test_a_file_whose_name_is_only_invisible_characters_is_still_read_and_nothing_is_lost(
    supplier_client, challenge, organisation, supplier
):
    """Django skips such a part unread, and a large one then broke the whole form ("Bad Request")."""
    proposal = proposal_start(challenge=challenge, organisation=organisation, by=supplier)
    names = question_ids(challenge)
    big = PDF + b"%" * (512 * 1024)
    response = supplier_client.post(
        reverse("submissions:section", args=[proposal.pk, 2]),
        {names["Can you start within 6 weeks?"]: "yes", names["Project plan"]: upload("\u202e\u200b\ufeff", big)},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.answers[names["Can you start within 6 weeks?"][2:]] == "yes"
    attachment = proposal.attachments.get()
    assert attachment.name == "file.pdf" and attachment.size == len(big)


class CountingBytes(io.BytesIO):
    def __init__(self, content):
        super().__init__(content)
        self.sizes = []

    def read(self, size=-1):
        self.sizes.append(size)
        return super().read(size)


def test_a_scanned_file_is_read_once_for_the_scan_and_its_sha256(clamd):
    content = PDF + b"0" * (200 * 1024)
    file = upload("plan.pdf", content)
    file.file = CountingBytes(content)
    checked = check_upload(file, allowed_types=["pdf"], max_size_mb=1)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    chunks = -(-len(content) // (64 * 1024))
    assert len([size for size in file.file.sizes if size == 64 * 1024]) == chunks + 1  # each chunk, then the end
