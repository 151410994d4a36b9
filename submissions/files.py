"""Checks on uploaded files: what they really are, how big, what they are called, and whether they are safe.

The type comes from the file's first bytes, never from its name, so a program
renamed to ``.pdf`` is refused. Files go only to private storage and come back
only through a permission-checked download.
"""

import hashlib
import logging
import os
import socket
import struct
import uuid
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.storage import storages
from django.http import FileResponse
from django.utils.text import get_valid_filename

from accounts.ratelimits import Limit
from challenges.blocks import FILE_TYPE_CHOICES
from core.formatting import format_moment

logger = logging.getLogger(__name__)

MIME_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "csv": "text/csv",
    "png": "image/png",
    "jpg": "image/jpeg",
}
TYPE_NAMES = dict(FILE_TYPE_CHOICES)
SNIFF_BYTES = 8192
CHUNK = 64 * 1024


@dataclass(frozen=True)
class CheckedFile:
    name: str
    extension: str
    content_type: str
    size: int
    sha256: str


def uploads_within_limit(by, *, field: str | None = None, then: str = "Upload this file again") -> None:
    """Count one upload against the person's hourly limit (``UPLOADS_PER_HOUR``), the same count for a proposal's
    files, due-diligence evidence and pilot report evidence; past it, a ``ValidationError`` (on ``field`` if
    given) saying when they can upload again."""
    limit = Limit("uploads", settings.UPLOADS_PER_HOUR, 3600)
    again_at = limit.consume(str(by.pk))
    if again_at is None:
        return
    message = (
        f"You have uploaded {limit.count} files in the last hour, the most we allow. "
        f"{then} from {format_moment(again_at)}"
    )
    raise ValidationError({field: message} if field else message)


def private_storage():
    return storages["private"]


def describe_types(allowed: list[str]) -> str:
    names = [TYPE_NAMES.get(kind, kind.upper()).split(" (")[0] for kind in allowed]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def detect_type(head: bytes) -> str | None:
    """The file type its content shows, among those the platform accepts."""
    kind = filetype.guess(head)
    if kind is not None:
        extension = "jpg" if kind.extension == "jpg" else kind.extension
        return extension if extension in MIME_TYPES else None
    if head and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            if error.start < len(head) - 4:  # a cut multi-byte character at the end is still text
                return None
        return "csv"
    return None


def sanitise_filename(name: str, extension: str) -> str:
    """A safe display and download name: no path, no odd characters, the extension the content proved."""
    stem = os.path.splitext(os.path.basename(name.replace("\\", "/")))[0]
    try:
        stem = get_valid_filename(stem.replace(" ", "_"))[:80].strip("._-")
    except SuspiciousFileOperation:  # nothing nameable left, e.g. "★.pdf"
        stem = ""
    return f"{stem or 'file'}.{extension}"


def check_upload(upload, *, allowed_types: list[str], max_size_mb: int) -> CheckedFile:
    """Raise ``ValidationError`` with a message for the field unless the upload is acceptable."""
    allowed = list(allowed_types) or ["pdf"]
    if upload.size == 0:
        raise ValidationError("The selected file is empty")
    if upload.size > max_size_mb * 1024 * 1024:
        raise ValidationError(f"The selected file must be smaller than {max_size_mb} MB")
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    detected = detect_type(head)
    if detected not in allowed:
        raise ValidationError(f"The selected file must be a {describe_types(allowed)}")
    digest = hashlib.sha256()
    if not scan_for_viruses(upload, digest=digest):
        _read_into(upload, digest)
    return CheckedFile(
        name=sanitise_filename(upload.name or "file", detected),
        extension=detected,
        content_type=MIME_TYPES[detected],
        size=upload.size,
        sha256=digest.hexdigest(),
    )


def _read_into(upload, digest) -> None:
    upload.seek(0)
    for chunk in iter(lambda: upload.read(CHUNK), b""):
        digest.update(chunk)
    upload.seek(0)


class VirusFound(ValidationError):
    pass


def scan_for_viruses(upload, *, digest=None) -> bool:
    """Ask clamd (``CLAMAV_SOCKET``) about the file; an infected file is quarantined and refused. Returns
    whether it read the file, having fed every byte to ``digest`` on the way, so the file is read once for both.

    Without the setting there is no scanner and every file passes. A scanner
    that is configured but not answering refuses the file rather than letting
    an unscanned one through.
    """
    socket_path = getattr(settings, "CLAMAV_SOCKET", "")
    if not socket_path:
        return False
    try:
        verdict = clamd_instream(socket_path, upload, digest=digest)
    except OSError:
        logger.exception("Virus scanner at %s did not answer", socket_path)
        raise ValidationError("The selected file could not be checked for viruses. Try again later") from None
    finally:
        upload.seek(0)
    if verdict.endswith("FOUND"):
        quarantine(upload, verdict)
        raise VirusFound("The selected file contains a virus. It has been quarantined and was not added")
    return True


def clamd_instream(socket_path: str, upload, *, digest=None) -> str:
    """clamd's INSTREAM protocol: length-prefixed chunks, a zero-length chunk, then one reply line. Each chunk
    also goes to ``digest`` if given."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(30)
        conn.connect(socket_path)
        conn.sendall(b"zINSTREAM\0")
        upload.seek(0)
        for chunk in iter(lambda: upload.read(CHUNK), b""):
            if digest is not None:
                digest.update(chunk)
            conn.sendall(struct.pack("!L", len(chunk)) + chunk)
        conn.sendall(struct.pack("!L", 0))
        reply = b""
        while not reply.endswith(b"\0"):
            part = conn.recv(4096)
            if not part:
                break
            reply += part
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()


def quarantine(upload, verdict: str) -> str:
    name = f"quarantine/{uuid.uuid4().hex}.bin"
    upload.seek(0)
    private_storage().save(name, upload)
    logger.warning("Quarantined an infected upload as %s: %s (uploaded as %r)", name, verdict, upload.name)
    return name


def private_file_response(attachment, *, filename: str | None = None) -> FileResponse:
    """Send a stored upload as a download that no browser renders in place and no cache keeps.

    Callers check who may have it first; ``filename`` replaces the uploaded name (blind judging).
    """
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=filename or attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
