from datetime import timedelta

import pytest
from django.core.files.storage import InMemoryStorage, storages
from django.utils import timezone

from submissions.models import Attachment
from tests.factories import ChallengePageFactory, UserFactory
from tests.factories.judging import Scene, build_scene
from tests.factories.organisations import make_organisation
from tests.factories.submissions import standard_question_set

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def challenge(sponsor_index, sponsor):
    return ChallengePageFactory(
        parent=sponsor_index,
        sponsor=sponsor,
        title="Prevent homelessness with data",
        proposal_questions=standard_question_set(),
        closes_at=timezone.now() + timedelta(days=3),
    )


@pytest.fixture
def supplier(db):
    return UserFactory(email="ada@brumtech.example")


@pytest.fixture
def organisation(supplier):
    return make_organisation(owner=supplier)


@pytest.fixture
def supplier_client(client, supplier):
    client.force_login(supplier)
    return client


def question_ids(challenge) -> dict[str, str]:
    """Field names by question label, e.g. {"Product name": "q-<uuid>"}."""
    names = {}
    for block in challenge.first_stage.questions.raw_data:
        for item in block["value"]["questions"]:
            names[item["value"]["label"]] = f"q-{item['id']}"
    return names


@pytest.fixture
def private_files(monkeypatch) -> InMemoryStorage:
    """Private storage of this test's own, so what is stored can be counted without other tests' files."""
    storage = InMemoryStorage()
    monkeypatch.setitem(storages._storages, "private", storage)
    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage", storage)
    return storage


@pytest.fixture
def scene(listing, sponsor_index, sponsor) -> Scene:
    """A closed challenge being judged (``tests.factories.judging.build_scene``): the workflow's people."""
    return build_scene(listing, sponsor_index, sponsor)
