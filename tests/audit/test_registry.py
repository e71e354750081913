"""What the audit log follows: models that touch other people's data, members' roles only, and
never a ballot (a log entry's time and actor next to a ballot would link a voter to a choice)."""

from auditlog.registry import auditlog
from django.apps import apps
from django.conf import settings

from chapterhouse.audit.registry import NEVER_AUDITED


def _registered() -> dict[str, dict]:
    return {model._meta.label: auditlog.get_model_fields(model)
            for model in auditlog.get_models()}


def test_no_ballot_participation_or_ballot_box_model_is_ever_audited():
    registered = _registered()
    assert not NEVER_AUDITED & set(registered)
    for label in registered:
        name = label.lower()
        for word in ("ballot", "participation", "box"):
            assert word not in name, label
    assert not settings.AUDITLOG_INCLUDE_ALL_MODELS
    assert all(apps.get_model(label) for label in NEVER_AUDITED)


def test_the_models_that_touch_other_peoples_data_are_audited():
    assert {"meetings.Attendance", "chapters.ChapterMembership", "chapters.Chapter",
            "chapters.Invitation", "chapters.JoinRequest", "organizing.Organizer",
            "decisions.Poll", "resources.Resource", "members.Member",
            "organizations.Organization"} <= set(_registered())


def test_a_members_entry_records_their_roles_and_nothing_personal():
    fields = _registered()["members.Member"]
    assert set(fields["include_fields"]) == {"is_active", "is_staff", "is_superuser",
                                             "is_resource_editor", "erased_at", "groups",
                                             "user_permissions"}
    for personal in ("password", "gender", "email", "display_name", "place", "languages"):
        assert personal not in fields["include_fields"]


def test_a_polls_entry_never_records_its_salt_or_its_result():
    include = _registered()["decisions.Poll"]["include_fields"]
    assert include
    assert "salt" not in include
    assert "result" not in include


def test_entries_store_no_ip_address():
    assert settings.AUDITLOG_DISABLE_REMOTE_ADDR is True
    assert "chapterhouse.audit.middleware.AuditMiddleware" in settings.MIDDLEWARE
    assert (settings.MIDDLEWARE.index("chapterhouse.audit.middleware.AuditMiddleware")
            > settings.MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware"))
