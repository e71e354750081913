"""Every email kind in the code base has a category, so preferences and unsubscribe cover it.
A kind added later without a line in chapterhouse/notices/kinds.py fails here (the static
scan) or wherever a test queues it (NOTICES_STRICT_KINDS in the test settings)."""

import ast
import functools
import re
from pathlib import Path

import pytest

from chapterhouse.notices.kinds import DIGEST_KIND, KINDS, Category, is_registered
from chapterhouse.notices.routing import UnknownKind
from chapterhouse.outbox.services import Draft, messages_queue

SOURCE = Path(__file__).resolve().parents[2] / "chapterhouse"
# Calls whose `kind=` is not an email kind (numpy's sort algorithm).
NOT_MAIL = {"argsort", "sort"}
# Helpers that prefix the kind they are given before queueing it.
PREFIXED = {"_tell_answers": "meeting_"}


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


@functools.cache
def kinds_in_source() -> list[tuple[str, str, bool]]:
    """(file:line, kind or pattern, is_pattern) for every literal `kind=` in a call."""
    found = []
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call) or _callee(node) in NOT_MAIL:
                continue
            for keyword in node.keywords:
                if keyword.arg != "kind":
                    continue
                where = f"{path.relative_to(SOURCE)}:{node.lineno}"
                prefix = PREFIXED.get(_callee(node), "")
                value = keyword.value
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found.append((where, prefix + value.value, False))
                elif isinstance(value, ast.JoinedStr):
                    pattern = "".join(re.escape(part.value) if isinstance(part, ast.Constant)
                                      else ".+" for part in value.values)
                    found.append((where, prefix + pattern, True))
    return found


def test_the_scan_sees_the_kinds_it_should():
    seen = {kind for _where, kind, pattern in kinds_in_source() if not pattern}
    assert {"help_offer", "password_reset", "meeting_changed", "join_answer"} <= seen


def test_every_email_kind_in_the_code_base_has_a_category():
    missing = []
    for where, kind, pattern in kinds_in_source():
        if pattern:
            if not any(re.fullmatch(kind, known) for known in KINDS):
                missing.append(f"{where}: {kind}")
        elif not is_registered(kind):
            missing.append(f"{where}: {kind}")
    assert missing == [], ("Email kinds without a category: add them to "
                           f"chapterhouse/notices/kinds.py: {missing}")


def test_the_account_kinds_are_the_ones_nobody_can_turn_off():
    account = {kind for kind, category in KINDS.items() if category is Category.ACCOUNT}
    assert account == {"confirmation", "existing_account", "import_invitation",
                       "password_reset"}
    assert DIGEST_KIND not in KINDS


@pytest.mark.django_db
def test_queueing_an_unregistered_kind_fails_in_the_tests(olivia):
    with pytest.raises(UnknownKind):
        messages_queue([Draft(olivia.email, "Hi", "Hi", member=olivia, kind="brand_new")])
