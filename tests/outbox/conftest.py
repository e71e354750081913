import pytest

from chapterhouse.outbox import services


@pytest.fixture
def queued(monkeypatch):
    """The real after-commit hook (tests/conftest.py otherwise delivers on commit), recording
    the deliveries it books instead of leaving them to a worker."""
    booked = []
    monkeypatch.setattr(services, "delivery_enqueue",
                        lambda run_after=None: booked.append(run_after))
    return booked
