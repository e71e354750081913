import pytest


class HashCounter:
    """How many times the password hasher ran (a hash made or checked) since the last reset."""

    def __init__(self) -> None:
        self.count = 0

    def reset(self) -> int:
        count, self.count = self.count, 0
        return count


@pytest.fixture
def password_hashing(monkeypatch) -> HashCounter:
    """Counts the work of the site's password hasher (argon2), which is what makes a login or
    sign-up slow: equal counts mean equal time, without a timed test."""
    from django.contrib.auth.hashers import Argon2PasswordHasher

    counter = HashCounter()
    for name in ("encode", "verify"):
        original = getattr(Argon2PasswordHasher, name)

        def spy(self, *args, _original=original, **kwargs):
            counter.count += 1
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(Argon2PasswordHasher, name, spy)
    return counter
