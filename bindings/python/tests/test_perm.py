"""Permissions, roles, grants, checks and data scopes."""

from __future__ import annotations

import pytest

import oa
from conftest import signed_in


def test_the_catalogue(office: oa.Office, admin: oa.Session) -> None:
    permissions = office.list_permissions(admin)
    by_name = {p.name: p for p in permissions}
    assert by_name["org.person.read"].category == "system"
    assert by_name["perm.grant.manage"].category == "security"
    assert by_name["audit.log.verify"].category == "audit"
    assert all(p.description for p in permissions)
    assert "PermissionInfo(name='org.person.read'" in repr(by_name["org.person.read"])


def test_role_lifecycle(office: oa.Office, admin: oa.Session, root: oa.Department) -> None:
    role = office.create_role(
        admin,
        code="clerk",
        name="Clerk",
        description="reads people",
        permissions=["org.person.read"],
        data_scope="own_dept",
    )
    assert (role.code, role.name, role.description, role.permissions, role.inherits, role.builtin) == (
        "clerk",
        "Clerk",
        "reads people",
        ["org.person.read"],
        [],
        False,
    )
    assert role.data_scope == oa.DataScope.own_dept() and role.data_scope.kind == "own_dept"
    senior = office.create_role(admin, code="senior", name="Senior", inherits=["clerk"], data_scope=oa.DataScope.all())
    assert senior.inherits == ["clerk"] and senior.permissions == []
    changed = office.update_role(
        admin, "clerk", name="Clerk II", permissions=["org.person.read", "org.dept.read"], data_scope=oa.DataScope.of_depts([root.id])
    )
    assert changed.name == "Clerk II" and changed.data_scope == oa.DataScope("depts", [root.id])
    assert changed.data_scope.depts == [root.id]
    assert office.get_role(admin, "clerk") == changed
    assert {"admin", "clerk", "senior"} <= {r.code for r in office.list_roles(admin)}
    with pytest.raises(oa.InvalidStateError):
        office.delete_role(admin, "clerk")  # `senior` inherits it
    office.delete_role(admin, "senior")
    office.delete_role(admin, "clerk")
    with pytest.raises(oa.NotFoundError):
        office.get_role(admin, "clerk")


def test_role_input_errors(office: oa.Office, admin: oa.Session) -> None:
    with pytest.raises(oa.ValidationError) as caught:
        office.create_role(admin, code="Bad Code", name="", permissions=["no.such.permission"], data_scope="all")
    assert {"code", "name"} <= {f.path.split("[")[0] for f in caught.value.fields}
    with pytest.raises(oa.ValidationError, match="data_scope"):
        office.create_role(admin, code="x", name="X", data_scope="everything")  # type: ignore[arg-type]
    with pytest.raises(oa.ValidationError, match="data_scope.depts"):
        office.create_role(admin, code="x", name="X", data_scope=oa.DataScope("all", ["01ARZ3NDEKTSV4RRFFQ69G5FAV"]))
    with pytest.raises(oa.ValidationError, match=r"data_scope.depts\[0\]"):
        office.create_role(admin, code="x", name="X", data_scope=oa.DataScope.of_depts(["nope"]))
    with pytest.raises(TypeError, match="data_scope"):
        office.create_role(admin, code="x", name="X", data_scope=3)  # type: ignore[arg-type]
    with pytest.raises(oa.ValidationError, match="built-in"):
        office.update_role(admin, "admin", permissions=[])


def test_grants_checks_and_scopes(office: oa.Office, admin: oa.Session, root: oa.Department) -> None:
    east = office.create_department(admin, name="East", parent=root.id)
    west = office.create_department(admin, name="West", parent=root.id)
    east_clerk = office.create_person(admin, login="eastclerk", name="East Clerk", dept=east.id)
    west_clerk = office.create_person(admin, login="westclerk", name="West Clerk", dept=west.id)
    reader, session = signed_in(office, admin, "reader", east.id)
    assert not office.check_permission(session, "org.person.read")
    assert office.permission_scope(session, "org.person.read").is_empty()
    with pytest.raises(oa.PermissionDeniedError) as denied:
        office.get_person(session, east_clerk.id)
    assert (denied.value.code, denied.value.permission) == ("permission_denied", "org.person.read")

    office.create_role(admin, code="reader", name="Reader", permissions=["org.person.read"], data_scope="own_dept_and_below")
    grant = office.grant_role(admin, person=reader.id, role="reader")
    assert (grant.person, grant.role, grant.limit_to_dept) == (reader.id, "reader", None)
    assert grant.granted_by == office.whoami(admin).person
    assert office.check_permission(session, "org.person.read")
    assert office.check_permission(session, "org.person.read", dept=east.id)
    assert not office.check_permission(session, "org.person.read", dept=west.id, owner=west_clerk.id)
    scope = office.permission_scope(session, "org.person.read")
    assert (scope.all, scope.subtrees, scope.depts, scope.persons, scope.persons_within) == (False, [east.id], [], [], [])
    assert office.get_person(session, east_clerk.id).login == "eastclerk"
    with pytest.raises(oa.PermissionDeniedError, match="permission denied"):
        office.get_person(session, west_clerk.id)
    assert office.effective_permissions(session, reader.id) == ["org.person.read"]
    assert office.check_permission_of(admin, reader.id, "org.person.read", dept=east.id)
    assert not office.check_permission_of(admin, reader.id, "org.person.read", west.id, west_clerk.id)
    assert not office.check_permission_of(admin, reader.id, "org.dept.read")
    with pytest.raises(oa.PermissionDeniedError):
        office.check_permission_of(session, office.whoami(admin).person, "org.person.read")
    assert office.effective_permissions(admin, reader.id) == ["org.person.read"]

    limited = office.grant_role(admin, person=reader.id, role="admin", limit_to_dept=west.id)
    assert limited.limit_to_dept == west.id
    assert office.check_permission(session, "org.dept.read", dept=west.id)
    assert not office.check_permission(session, "org.dept.read", dept=root.id)
    assert [g.id for g in office.list_grants(admin, reader.id)] == [grant.id, limited.id]
    assert {grant.id, limited.id} <= {g.id for g in office.list_grants(admin)}
    office.revoke_grant(admin, limited.id)
    assert office.list_grants(admin, reader.id) == [grant]
    with pytest.raises(oa.NotFoundError):
        office.revoke_grant(admin, limited.id)
    with pytest.raises(oa.ValidationError, match="permission"):
        office.check_permission(session, "no.such.permission")
    with pytest.raises(oa.ValidationError, match="permission"):
        office.permission_scope(session, "no.such.permission")
    with pytest.raises(oa.ValidationError, match="grant_id"):
        office.revoke_grant(admin, "garbage")
    with pytest.raises(oa.PermissionDeniedError):
        office.effective_permissions(session, office.whoami(admin).person)
    assert "Grant(id=" in repr(grant) and "ScopeFilter(all=False" in repr(scope)


def test_data_scope_values() -> None:
    assert oa.DataScope.all() == oa.DataScope("all")
    assert oa.DataScope.self_only().kind == "self_only"
    assert oa.DataScope.own_dept_and_below().depts == []
    assert len({oa.DataScope.all(), oa.DataScope("all"), oa.DataScope.own_dept()}) == 2
    assert repr(oa.DataScope.of_depts(["A"])) == "DataScope(kind='depts', depts=['A'])"


def test_principal_answers_as_lookups(office: oa.Office, admin: oa.Session, root: oa.Department) -> None:
    east = office.create_department(admin, name="East", parent=root.id)
    west = office.create_department(admin, name="West", parent=root.id)
    west_clerk = office.create_person(admin, login="westclerk", name="West Clerk", dept=west.id)
    reader, session = signed_in(office, admin, "reader", east.id)
    office.create_role(admin, code="reader", name="Reader", permissions=["org.person.read"], data_scope="own_dept_and_below")
    grant = office.grant_role(admin, person=reader.id, role="reader")

    mine = office.principal(session)
    assert isinstance(mine, oa.Principal) and mine.person == reader.id
    assert mine.permissions() == ["org.person.read"]
    assert repr(mine) == f"Principal(person='{reader.id}', permissions=1)"
    assert mine.allows("org.person.read") and not mine.allows("org.dept.read")
    assert not mine.allows("no.such.permission")  # an unknown name is not held
    assert mine.allows_on("org.person.read", east.id) and mine.allows_on("org.person.read", dept=east.id, owner=reader.id)
    assert not mine.allows_on("org.person.read", west.id, west_clerk.id)
    assert not mine.allows_on("org.person.read")  # neither department nor owner: only an unrestricted scope
    # The same answers as the calls it saves.
    for dept in (east.id, west.id, root.id):
        assert mine.allows_on("org.person.read", dept=dept) == office.check_permission(session, "org.person.read", dept=dept)
    assert mine.scope("org.person.read") == office.permission_scope(session, "org.person.read")
    assert mine.scope("org.person.read").subtrees == [east.id]
    assert mine.scope("org.dept.read").is_empty()

    everything = office.principal(admin)
    assert everything.person == office.whoami(admin).person
    assert sorted(everything.permissions()) == office.whoami(admin).permissions
    assert everything.allows_on("org.person.read") and everything.scope("org.person.read").all

    # A snapshot: it keeps what held when it was taken; a new one follows the change.
    office.revoke_grant(admin, grant.id)
    assert mine.allows("org.person.read")
    assert office.principal(session).permissions() == []

    with pytest.raises(oa.ValidationError) as caught:
        mine.allows_on("org.person.read", dept="not an id")
    assert [f.path for f in caught.value.fields] == ["dept"]
    with pytest.raises(oa.ValidationError) as caught:
        mine.allows_on("org.person.read", east.id, owner="nope")
    assert [f.path for f in caught.value.fields] == ["owner"]
    with pytest.raises(TypeError):
        mine.allows_on("org.person.read", dept=3)  # type: ignore[arg-type]
    with pytest.raises(AttributeError):
        mine.person = west_clerk.id  # type: ignore[misc]


def test_principal_needs_a_valid_session(office: oa.Office, admin: oa.Session, root: oa.Department) -> None:
    office.create_person(admin, login="newcomer", name="Newcomer", dept=root.id, initial_password="first password")
    pending = office.sign_in("newcomer", "first password")
    with pytest.raises(oa.PasswordChangeRequiredError):
        office.principal(pending)
    with pytest.raises(TypeError):
        office.principal("token")  # type: ignore[arg-type]
    office.sign_out(admin)
    with pytest.raises(oa.UnauthenticatedError):
        office.principal(admin)
    office.close()
    with pytest.raises(oa.ClosedError):
        office.principal(admin)
