"""Only members of the proposal's organisation see or change it. Everyone else gets a 404 that names nothing."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from submissions.models import Attachment, Proposal
from submissions.services import proposal_start
from tests.factories import UserFactory
from tests.factories.organisations import make_organisation

from .conftest import PDF

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Confidential pricing for the pilot"


@pytest.fixture
def proposal(challenge, organisation, supplier):
    proposal = proposal_start(challenge=challenge, organisation=organisation, by=supplier)
    proposal.title = SECRET_TITLE
    proposal.save()
    attachment = Attachment(
        proposal=proposal,
        question_id="plan",
        name="plan.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
        uploaded_by=supplier,
    )
    attachment.file.save("plan.pdf", ContentFile(PDF), save=False)
    attachment.save()
    proposal.attachment = attachment
    return proposal


def urls(proposal):
    pk = proposal.pk
    return [
        ("get", reverse("submissions:task_list", args=[pk])),
        ("get", reverse("submissions:section", args=[pk, 0])),
        ("post", reverse("submissions:section", args=[pk, 0])),
        ("get", reverse("submissions:check", args=[pk])),
        ("post", reverse("submissions:submit", args=[pk])),
        ("get", reverse("submissions:confirmation", args=[pk, Proposal.objects.get(pk=pk).stage_id, 1])),
        ("get", reverse("submissions:withdraw", args=[pk])),
        ("post", reverse("submissions:withdraw", args=[pk])),
        ("get", reverse("submissions:download", args=[pk, proposal.attachment.pk])),
    ]


@pytest.fixture(params=["member of another organisation", "signed-in non-member"])
def outsider(request, db):
    user = UserFactory()
    if request.param == "member of another organisation":
        make_organisation(name="Rival Analytics Ltd", owner=user)
    return user


def test_outsiders_get_a_404_that_leaks_nothing(client, proposal, outsider):
    client.force_login(outsider)
    for method, url in urls(proposal):
        response = getattr(client, method)(url, {"q-title": "Hijack"} if method == "post" else None)
        assert response.status_code == 404, (method, url)
        assert SECRET_TITLE not in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.title == SECRET_TITLE
    assert proposal.status == "draft"


def test_anonymous_visitors_are_sent_to_sign_in(client, proposal):
    for method, url in urls(proposal):
        response = getattr(client, method)(url)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(reverse("account_login"))


def test_outsiders_do_not_see_the_proposal_in_their_dashboard(client, proposal, outsider):
    client.force_login(outsider)
    body = client.get(reverse("submissions:dashboard")).content.decode()
    assert SECRET_TITLE not in body


def test_a_member_downloads_a_file_as_an_attachment(client, proposal, organisation):
    colleague = UserFactory()
    organisation.memberships.create(user=colleague, role="member")
    client.force_login(colleague)
    response = client.get(reverse("submissions:download", args=[proposal.pk, proposal.attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_files_live_in_private_storage_outside_the_public_media_folder(proposal):
    from pathlib import Path

    from django.conf import settings
    from django.core.files.storage import storages

    assert proposal.attachment.file.storage is storages["private"]
    assert not Path(settings.PRIVATE_MEDIA_ROOT).is_relative_to(settings.MEDIA_ROOT)
