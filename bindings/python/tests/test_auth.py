"""Sign-in, sessions and passwords."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

import oa
from conftest import PASSWORD, signed_in


def test_sign_in_and_whoami(office: oa.Office, admin: oa.Session, root: oa.Department) -> None:
    me = office.whoami(admin)
    assert (me.login, me.name, me.dept) == ("admin", "Administrator", root.id)
    assert "org.person.read" in me.permissions and me.permissions == sorted(me.permissions)
    assert not me.must_change_password
    assert me.session_expires_at.tzinfo is not None and me.session_expires_at > datetime.now(timezone.utc)
    assert isinstance(me.password_changed_at, datetime)
    assert me.password_expires_at is None
    assert "Me(" in repr(me) and "admin" in repr(me)


def test_a_session_keeps_its_token_secret_in_repr(office: oa.Office, admin: oa.Session) -> None:
    assert repr(admin) == "Session(<redacted>)"
    assert admin.token not in repr(admin) and admin.token not in str(admin)
    again = oa.Session.from_token(admin.token)
    assert again == admin and hash(again) == hash(admin)
    assert office.whoami(again).login == "admin"


def test_wrong_credentials_are_unauthenticated(office: oa.Office) -> None:
    for login, password in [("admin", "wrong password"), ("nobody", PASSWORD), ("", "")]:
        with pytest.raises(oa.UnauthenticatedError) as caught:
            office.sign_in(login, password)
        assert caught.value.code == "unauthenticated"
        assert isinstance(caught.value, oa.OaError)


def test_a_forged_token_is_unauthenticated(office: oa.Office) -> None:
    with pytest.raises(oa.UnauthenticatedError):
        office.whoami(oa.Session.from_token("not a token"))


def test_sign_out_ends_the_session(office: oa.Office, admin: oa.Session) -> None:
    office.sign_out(admin)
    with pytest.raises(oa.UnauthenticatedError):
        office.whoami(admin)
    with pytest.raises(oa.UnauthenticatedError):
        office.sign_out(admin)


def test_repeated_failures_lock_the_login(office: oa.Office, admin: oa.Session) -> None:
    office.set_param(admin, "auth.lockout.threshold", 2)
    for _ in range(2):
        with pytest.raises((oa.UnauthenticatedError, oa.AccountLockedError)):
            office.sign_in("admin", "wrong password")
    with pytest.raises(oa.AccountLockedError) as caught:
        office.sign_in("admin", PASSWORD)
    err = caught.value
    assert err.code == "account_locked"
    assert isinstance(err.until, datetime) and err.until.tzinfo is not None
    assert err.until > datetime.now(timezone.utc)


def test_a_reset_password_must_be_changed_first(office: oa.Office, admin: oa.Session, root: oa.Department) -> None:
    clerk, _ = signed_in(office, admin, "clerk", root.id)
    office.reset_password(admin, clerk.id, "temporary password")
    session = office.sign_in("clerk", "temporary password")
    assert office.whoami(session).must_change_password
    with pytest.raises(oa.PasswordChangeRequiredError) as caught:
        office.list_sessions(session, clerk.id)
    assert caught.value.code == "password_change_required"
    with pytest.raises(oa.ValidationError) as bad:
        office.change_password(session, "not the password", "x")
    assert {f.path for f in bad.value.fields} == {"old_password", "new_password"}
    office.change_password(session, "temporary password", "a brand new password")
    assert not office.whoami(session).must_change_password
    assert [s.current for s in office.list_sessions(session, clerk.id)] == [True]


def test_reset_password_checks_the_policy_and_the_person(office: oa.Office, admin: oa.Session) -> None:
    me = office.whoami(admin)
    with pytest.raises(oa.ValidationError) as caught:
        office.reset_password(admin, me.person, "short")
    assert caught.value.fields[0].path == "new_password"
    with pytest.raises(oa.ValidationError, match="person"):
        office.reset_password(admin, "not-an-id", PASSWORD)
    with pytest.raises(oa.NotFoundError) as missing:
        office.reset_password(admin, "01ARZ3NDEKTSV4RRFFQ69G5FAV", PASSWORD)
    assert (missing.value.kind, missing.value.id) == ("person", "01ARZ3NDEKTSV4RRFFQ69G5FAV")


def test_sessions_are_listed_and_revoked(office: oa.Office, admin: oa.Session) -> None:
    me = office.whoami(admin).person
    second = office.sign_in("admin", PASSWORD)
    sessions = office.list_sessions(admin, me)
    assert len(sessions) == 2
    assert [s.current for s in sessions] == [True, False]
    info = sessions[1]
    assert info.person == me and info.expires_at >= info.idle_expires_at >= info.last_seen >= info.created_at
    assert not info.must_change_password and "SessionInfo(" in repr(info)
    office.revoke_session(admin, info.id)
    with pytest.raises(oa.UnauthenticatedError):
        office.whoami(second)
    with pytest.raises(oa.NotFoundError):
        office.revoke_session(admin, info.id)
    with pytest.raises(oa.ValidationError, match="session_id"):
        office.revoke_session(admin, "nope")


def test_revoke_sessions_of_ends_them_all(office: oa.Office, admin: oa.Session, root: oa.Department) -> None:
    clerk, session = signed_in(office, admin, "clerk", root.id)
    office.sign_in("clerk", PASSWORD)
    assert office.revoke_sessions_of(admin, clerk.id) == 2
    with pytest.raises(oa.UnauthenticatedError):
        office.whoami(session)
    assert office.list_sessions(admin, clerk.id) == []


def test_another_persons_sessions_need_a_permission(office: oa.Office, admin: oa.Session, root: oa.Department) -> None:
    _, clerk = signed_in(office, admin, "clerk", root.id)
    admin_id = office.whoami(admin).person
    with pytest.raises(oa.PermissionDeniedError) as caught:
        office.list_sessions(clerk, admin_id)
    assert caught.value.permission == "auth.session.read"
    with pytest.raises(oa.PermissionDeniedError):
        office.revoke_sessions_of(clerk, admin_id)
