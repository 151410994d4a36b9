"""A test email backend that stands in for an SMTP server, shared by every process of a fault test.

Each accepted message is appended as one JSON line to the file named by ``FAULT_MAILBOX`` (a single
``write()`` on an ``O_APPEND`` descriptor: it survives a SIGKILL of the sender a moment later and never
interleaves with another process's line). The test counts the lines to see what recipients received.

``FAULT_MAILBOX_HOLD`` names a file; while it exists, every conversation stops just before the server
accepts the message, as a slow or hung SMTP server would, and ``<hold>.d/<pid>`` shows which processes are
waiting there (each file holds the key of the email it is sending). A test kills a worker
while all of its processes wait: a kill in the middle of an SMTP conversation.
"""

import json
import os
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

HOLD_POLL = 0.02


class RecordingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        mailbox = os.environ["FAULT_MAILBOX"]
        for message in email_messages:
            _wait_while_held(message.extra_headers.get("X-Notification-Key", ""))
            line = json.dumps(
                {
                    "key": message.extra_headers.get("X-Notification-Key", ""),
                    "message_id": message.extra_headers.get("Message-ID", ""),
                    "to": message.to,
                    "subject": message.subject,
                    "pid": os.getpid(),
                }
            )
            fd = os.open(mailbox, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, (line + "\n").encode())
            finally:
                os.close(fd)
        return len(email_messages)


def _wait_while_held(key: str) -> None:
    hold = os.environ.get("FAULT_MAILBOX_HOLD")
    if not hold or not os.path.exists(hold):
        return
    marker = Path(f"{hold}.d") / str(os.getpid())
    marker.parent.mkdir(exist_ok=True)
    marker.write_text(key)
    try:
        while os.path.exists(hold):
            time.sleep(HOLD_POLL)
    finally:
        marker.unlink(missing_ok=True)


def received(mailbox: Path) -> list[dict]:
    """Every message the server accepted, in order."""
    if not mailbox.exists():
        return []
    return [json.loads(line) for line in mailbox.read_text().splitlines() if line]
