"""The audit log."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

import oa


def test_every_change_is_recorded_and_chained(office: oa.Office, admin: oa.Session, root: oa.Department) -> None:
    for i in range(4):
        office.create_department(admin, name=f"Dept {i}", parent=root.id)
    page = office.list_audit(admin, limit=3)
    assert len(page) == 3 and page.next_cursor is not None
    newest = page[0]
    assert (newest.operation, newest.outcome, newest.actor_login) == ("org.dept.create", "success", "admin")
    assert newest.actor == office.whoami(admin).person and newest.session is not None
    assert newest.target is not None and newest.target.startswith("department:")
    assert newest.at.tzinfo is not None and len(newest.hash) == 64
    assert page[1].hash == newest.prev_hash
    rest = office.list_audit(admin, cursor=page.next_cursor)
    seqs = [r.seq for r in page] + [r.seq for r in rest]
    assert seqs == sorted(seqs, reverse=True) and seqs[-1] == 1
    assert office.get_audit_record(admin, newest.seq) == newest
    report = office.verify_audit_chain(admin)
    assert report.is_intact() and report.checked >= newest.seq
    assert report.first_mismatch is None and report.problem is None and len(report.head_hash) == 64
    assert "AuditRecord(seq=" in repr(newest) and "ChainReport(checked=" in repr(report)


def test_filters(office: oa.Office, admin: oa.Session, root: oa.Department) -> None:
    office.create_department(admin, name="Sales", parent=root.id)
    creates = office.list_audit(admin, operation="org.dept.create")
    assert [r.operation for r in creates] == ["org.dept.create"]
    me = office.whoami(admin).person
    assert all(r.actor == me for r in office.list_audit(admin, actor=me))
    assert len(office.list_audit(admin, target=creates[0].target)) == 1
    now = datetime.now(timezone.utc)
    assert len(office.list_audit(admin, from_=now + timedelta(hours=1))) == 0
    assert len(office.list_audit(admin, from_=now - timedelta(hours=1), to=now + timedelta(hours=1))) >= 3
    # Any aware datetime works; it is converted to UTC.
    beijing = timezone(timedelta(hours=8))
    assert len(office.list_audit(admin, to=(now - timedelta(hours=1)).astimezone(beijing))) == 0


def test_naive_datetimes_and_bad_numbers_are_refused(office: oa.Office, admin: oa.Session) -> None:
    with pytest.raises(oa.ValidationError) as caught:
        office.list_audit(admin, from_=datetime(2026, 1, 1))
    assert caught.value.fields[0].path == "from" and "naive" in caught.value.fields[0].reason
    with pytest.raises(oa.ValidationError, match="to"):
        office.list_audit(admin, to=datetime(2026, 1, 1))
    with pytest.raises(TypeError, match="aware datetime"):
        office.list_audit(admin, from_="2026-01-01")  # type: ignore[arg-type]
    with pytest.raises(oa.ValidationError, match="seq"):
        office.get_audit_record(admin, -1)
    with pytest.raises(oa.NotFoundError):
        office.get_audit_record(admin, 10_000)


def test_denied_attempts_are_audited(office: oa.Office, admin: oa.Session) -> None:
    with pytest.raises(oa.UnauthenticatedError):
        office.sign_in("admin", "wrong password")
    failed = office.list_audit(admin, operation="auth.sign_in")
    assert [r.outcome for r in failed][:2] == ["failed", "success"]
