"""Managers download a proposal's files from its staff page; nobody else can, and only files a version lists."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from submissions.models import Attachment

from .test_admin_screening import ROLES, assert_refused, refused_user


def upload(scene, name: str) -> Attachment:
    attachment = Attachment(
        proposal=scene.proposal,
        question_id="plan",
        name=name,
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
        uploaded_by=scene.supplier,
    )
    attachment.file.save(name, ContentFile(b"%PDF-1.4\n"), save=False)
    attachment.save()
    return attachment


@pytest.fixture
def plan(scene):
    attachment = upload(scene, "brumtech-plan.pdf")
    version = scene.proposal.versions.get()
    version.files = [{"question_id": "plan", "attachment": attachment.pk, "name": attachment.name, "size": 9}]
    version.save()
    return attachment


def file_url(scene, attachment) -> str:
    return reverse("judging_admin:proposal_file", args=[scene.challenge.pk, scene.proposal.pk, attachment.pk])


def test_a_manager_sees_the_file_listed_and_downloads_it(client, scene, plan):
    client.force_login(scene.manager)
    page = client.get(reverse("judging_admin:proposal", args=[scene.challenge.pk, scene.proposal.pk]))
    assert file_url(scene, plan) in page.content.decode()

    response = client.get(file_url(scene, plan))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n"
    assert response["Content-Disposition"] == 'attachment; filename="brumtech-plan.pdf"'
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_a_file_no_version_lists_is_not_found(client, scene, plan):
    replaced = upload(scene, "draft.pdf")
    client.force_login(scene.manager)
    assert client.get(file_url(scene, replaced)).status_code == 404
    other = reverse("judging_admin:proposal_file", args=[scene.challenge.pk, scene.other_proposal.pk, plan.pk])
    assert client.get(other).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_nobody_else_downloads_it(client, scene, plan, role):
    client.force_login(refused_user(scene, role))
    assert_refused(client.get(file_url(scene, plan), follow=True), role, secrets=["%PDF"])


def test_anonymous_visitors_are_sent_to_sign_in(client, scene, plan):
    response = client.get(file_url(scene, plan))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
