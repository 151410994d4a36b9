"""A judging scene most judging tests share (``tests.factories.judging.build_scene``), and its manager."""

import pytest

from tests.factories.judging import Scene, build_scene


@pytest.fixture
def scene(listing, sponsor_index, sponsor) -> Scene:
    return build_scene(listing, sponsor_index, sponsor)


@pytest.fixture
def manager(scene):
    """The scene's challenge manager (``manager_client`` signs in as them)."""
    return scene.manager
