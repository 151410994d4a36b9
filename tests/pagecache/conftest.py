import pytest


@pytest.fixture(autouse=True)
def _kept_results(settings):
    """The public pages as production serves them: with the results every visitor shares kept (core.kept)."""
    settings.KEPT_RESULTS = True
