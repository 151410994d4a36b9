"""Turning a template prefix and a context into an email's subject, plain text and HTML.

The names follow django-allauth's convention (``<prefix>_subject.txt``, ``<prefix>_message.txt``,
``<prefix>_message.html``), so allauth's emails and ours are written, rendered and sent the same way.
"""

import base64
import hashlib
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string

from .models import Notification

MAX_SUBJECT_LENGTH = Notification._meta.get_field("subject").max_length


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    body_text: str
    body_html: str


def email_context(context: dict) -> dict:
    """The caller's context plus what every email's layout needs, unless the caller set it."""
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "site_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/"),
        **context,
    }


def render_plain_text(template_name: str, context: dict) -> str:
    """Render without HTML escaping: a plain-text email showing ``&amp;`` for ``&`` would be a bug.

    Callers' templates need no ``{% autoescape off %}``, and allauth's (which have it) work as well.
    """
    template = get_template(template_name)
    return template.template.render(Context(context, autoescape=False))


def render_email(*, template: str, context: dict) -> RenderedEmail:
    context = email_context(context)
    subject = " ".join(render_plain_text(f"{template}_subject.txt", context).split())
    if len(subject) > MAX_SUBJECT_LENGTH:
        subject = subject[: MAX_SUBJECT_LENGTH - 1].rstrip() + "…"
    body_text = render_plain_text(f"{template}_message.txt", context).strip() + "\n"
    try:
        body_html = render_to_string(f"{template}_message.html", context)
    except TemplateDoesNotExist:
        body_html = ""
    return RenderedEmail(subject=subject, body_text=body_text, body_html=body_html)


def message_id(notification: Notification) -> str:
    """The same Message-ID every time this notification is sent.

    If a send is ever repeated (see ``notification_send``), mail servers and clients that
    deduplicate by Message-ID show the recipient one email, not two.
    """
    _, sender = parseaddr(settings.DEFAULT_FROM_EMAIL)
    domain = sender.rpartition("@")[2] or "localhost"
    digest = hashlib.sha256(notification.key.encode()).hexdigest()[:32]
    return f"<notification.{notification.pk}.{digest}@{domain}>"


def build_message(notification: Notification) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.to_email],
        reply_to=[notification.reply_to] if notification.reply_to else None,
        headers={"Message-ID": message_id(notification), "X-Notification-Key": notification.key},
    )
    if notification.body_html:
        message.attach_alternative(notification.body_html, "text/html")
    for attachment in notification.attachments:
        content = base64.b64decode(attachment["content_base64"])
        message.attach(attachment["filename"], content, attachment["mimetype"])
    return message
