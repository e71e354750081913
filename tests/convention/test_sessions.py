"""Credentials, sessions, weighted votes and proxies (convention/services.py): the permission
matrix (outsider, member, coordinator of another chapter, coordinator, staff, delegate) and the
count in weight with its quorum."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError

from chapterhouse.context import context_for
from chapterhouse.convention import services
from chapterhouse.convention.models import ConventionSettings, Delegate, SessionVote, Weighting
from chapterhouse.convention.selectors import session_page
from tests.conftest import VIENNA, client_for, join, make_member, make_staff


@pytest.fixture
def world(organization, springfield, vienna, alice, bob, charlie):
    staff = make_staff()
    dora = make_member("dora@example.org", "Dora", VIENNA, gender="woman")
    join(vienna, dora)
    vienna.coordinators.add(dora)  # coordinator of Vienna, not a delegate
    olivia = make_member("olivia@example.org", "Olivia")  # a member of no chapter
    for i in range(5):  # Springfield: 2 + 5 = 7 members; Vienna: 2 + 4 = 6
        join(springfield, make_member(f"s{i}@example.org", f"S{i}"))
    for i in range(4):
        join(vienna, make_member(f"v{i}@example.org", f"V{i}", VIENNA))
    boss = context_for(staff, organization)
    delegates = {
        "alice": services.delegate_credential(boss, chapter=springfield, member=alice),
        "bob": services.delegate_credential(boss, chapter=springfield, member=bob),
        "charlie": services.delegate_credential(boss, chapter=vienna, member=charlie),
    }
    session = services.session_open(boss, title="Adopt the founding statutes")
    return {"org": organization, "staff": staff, "dora": dora, "olivia": olivia,
            "d": delegates, "session": session, "boss": boss,
            "ctx": {name: context_for(m, organization)
                    for name, m in [("alice", alice), ("bob", bob), ("charlie", charlie),
                                    ("dora", dora), ("olivia", olivia), ("staff", staff)]}}


def test_only_delegates_vote(world):
    session = world["session"]
    for name in ("olivia", "dora", "staff"):  # member, coordinator, staff: no credential
        with pytest.raises(ValidationError, match="Only a delegate"):
            services.session_vote(world["ctx"][name], session=session, choice="yes")
    with pytest.raises(ValidationError):
        services.session_vote(context_for(None, world["org"]), session=session, choice="yes")
    services.session_vote(world["ctx"]["alice"], session=session, choice="yes")
    assert SessionVote.objects.filter(session=session).count() == 1


def test_staff_cannot_vote_for_others(world):
    with pytest.raises(ValidationError):
        services.session_vote(world["ctx"]["staff"], session=world["session"], choice="no",
                              for_delegate=world["d"]["bob"])
    assert not SessionVote.objects.exists()


def test_an_unconfirmed_delegate_does_not_vote(world, springfield):
    eve = make_member("eve@example.org", "Eve")
    join(springfield, eve)
    Delegate.objects.create(organization=world["org"], chapter=springfield, member=eve)
    with pytest.raises(ValidationError, match="confirmed credential"):
        services.session_vote(context_for(eve, world["org"]), session=world["session"],
                              choice="yes")


def test_a_delegate_who_gave_a_proxy_cannot_vote_and_the_holder_votes_for_them(world):
    session, d, ctx = world["session"], world["d"], world["ctx"]
    services.proxy_give(ctx["bob"], session=session, holder=d["alice"])
    with pytest.raises(ValidationError, match="gave your proxy"):
        services.session_vote(ctx["bob"], session=session, choice="no")
    services.session_vote(ctx["alice"], session=session, choice="yes")
    services.session_vote(ctx["alice"], session=session, choice="yes", for_delegate=d["bob"])
    votes = dict(SessionVote.objects.values_list("delegate__member__display_name", "choice"))
    assert votes == {"Alice": "yes", "Bob": "yes"}
    # Charlie holds no proxy of Bob's: he cannot vote for him.
    with pytest.raises(ValidationError, match="only with their proxy"):
        services.session_vote(ctx["charlie"], session=session, choice="no",
                              for_delegate=d["bob"])


def test_no_chains_and_one_proxy_per_holder(world):
    session, d, ctx = world["session"], world["d"], world["ctx"]
    services.proxy_give(ctx["bob"], session=session, holder=d["alice"])
    with pytest.raises(ValidationError, match="cannot be passed on"):  # Alice holds one
        services.proxy_give(ctx["alice"], session=session, holder=d["charlie"])
    with pytest.raises(ValidationError, match="cannot be passed on"):  # Bob gave his own
        services.proxy_give(ctx["charlie"], session=session, holder=d["bob"])
    with pytest.raises(ValidationError, match="holds a proxy already"):
        services.proxy_give(ctx["charlie"], session=session, holder=d["alice"])
    with pytest.raises(ValidationError, match="already"):
        services.proxy_give(ctx["bob"], session=session, holder=d["charlie"])
    with pytest.raises(ValidationError, match="another delegate"):
        services.proxy_give(ctx["charlie"], session=session, holder=d["charlie"])
    for name in ("olivia", "staff"):
        with pytest.raises(ValidationError, match="Only a delegate"):
            services.proxy_give(ctx[name], session=session, holder=d["alice"])


def test_a_proxy_is_for_one_session(world):
    session, d, ctx = world["session"], world["d"], world["ctx"]
    services.proxy_give(ctx["bob"], session=session, holder=d["alice"])
    other = services.session_open(world["boss"], title="Elect the chair")
    services.session_vote(ctx["bob"], session=other, choice="no")  # his own vote there
    with pytest.raises(ValidationError, match="only with their proxy"):
        services.session_vote(ctx["alice"], session=other, choice="yes",
                              for_delegate=d["bob"])


def test_a_closed_session_takes_no_votes(world):
    services.session_close(world["boss"], session=world["session"])
    with pytest.raises(ValidationError, match="closed"):
        services.session_vote(world["ctx"]["alice"], session=world["session"], choice="yes")
    with pytest.raises(ValidationError, match="Only staff"):
        services.session_open(world["ctx"]["alice"], title="x")


def test_quorum_and_majority_in_weight(world):
    org, session, ctx = world["org"], world["session"], world["ctx"]
    ConventionSettings.objects.create(organization=org, weighting=Weighting.APPORTIONED,
                                      quorum=Decimal("0.5"))
    session.weighting = Weighting.APPORTIONED
    session.save()
    # Springfield: 7 members over 2 delegates (3.5 each); Vienna: 6 over 1.
    services.session_vote(ctx["alice"], session=session, choice="yes")
    count = session_page(org, session, None).count
    assert count.total == Fraction(13)
    assert count.present == Fraction(7, 2)
    assert not count.quorum_met  # 3.5 of 13 < 6.5
    services.session_vote(ctx["charlie"], session=session, choice="no")
    count = session_page(org, session, None).count
    assert count.quorum_met
    assert (count.yes, count.no) == (Fraction(7, 2), Fraction(6))
    assert not count.passed  # Vienna's one delegate outweighs Springfield's one
    services.proxy_give(ctx["bob"], session=session, holder=world["d"]["alice"])
    services.session_vote(ctx["alice"], session=session, choice="yes",
                          for_delegate=world["d"]["bob"])
    count = session_page(org, session, None).count
    assert count.yes == Fraction(7)
    assert count.passed is True
    assert count.by_proxy == 1


def test_one_delegate_one_vote(world):
    org, session, ctx = world["org"], world["session"], world["ctx"]
    services.session_vote(ctx["alice"], session=session, choice="yes")
    services.session_vote(ctx["charlie"], session=session, choice="no")
    count = session_page(org, session, None).count
    assert (count.total, count.yes, count.no) == (3, 1, 1)
    assert count.quorum_met
    assert not count.passed


def test_the_session_page_by_role(world, client):
    url = f"/convention/sessions/{world['session'].pk}/"
    assert client.get(url).status_code == 302  # an outsider is sent to log in
    response = client_for(client, world["olivia"]).get(url)
    assert response.status_code == 200
    assert "Only delegates with a confirmed credential vote." in response.content.decode()
    response = client.post(url, {"action": "vote", "choice": "yes"})
    assert response.status_code == 302
    assert not SessionVote.objects.exists()
    client_for(client, world["d"]["alice"].member)
    response = client.post(url, {"action": "vote", "choice": "yes"})
    assert SessionVote.objects.get().choice == "yes"
    response = client.post(url, {"action": "vote", "choice": "maybe"})
    assert SessionVote.objects.get().choice == "yes"


def test_credentials_only_for_chapter_members_and_only_by_staff(world, springfield):
    with pytest.raises(ValidationError, match="member of the chapter"):
        services.delegate_credential(world["boss"], chapter=springfield, member=world["olivia"])
    with pytest.raises(ValidationError, match="Only staff"):
        services.delegate_credential(world["ctx"]["alice"], chapter=springfield,
                                     member=world["olivia"])


def test_an_absurd_holder_is_refused_without_an_error(world, client):
    client_for(client, world["d"]["bob"].member)
    url = f"/convention/sessions/{world['session'].pk}/"
    for holder in (str(10**30), "١٢٣", "-1", "x"):
        response = client.post(url, {"action": "proxy", "holder": holder})
        assert response.status_code == 200
        assert response.context["proxy_form"].errors
    for value in (str(10**30), "١", "-5"):
        response = client.post(url, {"action": "vote", "choice": "yes", "for_delegate": value})
        assert response.status_code in (200, 302, 404)  # form error, refusal, no such delegate
    assert not SessionVote.objects.exists()


def test_the_data_download_holds_a_delegates_credential_votes_and_proxy(world):
    from chapterhouse.privacy.selectors import member_data

    session, d, ctx = world["session"], world["d"], world["ctx"]
    services.proxy_give(ctx["bob"], session=session, holder=d["alice"])
    services.session_vote(ctx["alice"], session=session, choice="yes", for_delegate=d["bob"])
    bob = member_data(d["bob"].member)
    assert [row["chapter"] for row in bob["delegacies"]] == ["Springfield"]
    assert [(v["motion"], v["vote"], v["by_proxy"]) for v in bob["convention_votes"]] == [
        ("Adopt the founding statutes", "yes", True)]
    assert [p["given_to"] for p in bob["proxies"]] == ["Alice"]
    alice = member_data(d["alice"].member)
    assert alice["convention_votes"] == []  # Bob's vote is his
    assert alice["proxies"] == []
    assert member_data(world["olivia"])["delegacies"] == []


def test_a_closed_sessions_result_does_not_change_afterwards(world, springfield):
    from chapterhouse.convention.models import Session

    session, ctx = world["session"], world["ctx"]
    services.session_vote(ctx["alice"], session=session, choice="yes")
    services.session_vote(ctx["charlie"], session=session, choice="no")
    services.session_close(world["boss"], session=session)
    session = Session.objects.get(pk=session.pk)
    before = session_page(world["org"], session, None).count
    # Later: more members in Springfield, another delegate, a higher quorum.
    for i in range(20):
        join(springfield, make_member(f"late{i}@example.org", f"Late {i}"))
    late = make_member("late@example.org", "Late")
    join(springfield, late)
    services.delegate_credential(world["boss"], chapter=springfield, member=late)
    ConventionSettings.objects.filter(organization=world["org"]).update(quorum=Decimal("0.99"))
    assert session_page(world["org"], session, None).count == before
    with pytest.raises(ValidationError, match="closed"):
        services.session_vote(ctx["bob"], session=session, choice="yes")
