"""Reading a response as a person would: its text, and the messages it flashed."""

from html import unescape

from django.contrib.messages import get_messages


def text(response) -> str:
    return unescape(response.content.decode())


def flashed(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]
