"""The exception hierarchy and what bad input raises."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

import oa

CLASSES = {
    "validation": oa.ValidationError,
    "not_found": oa.NotFoundError,
    "permission_denied": oa.PermissionDeniedError,
    "invalid_state": oa.InvalidStateError,
    "unauthenticated": oa.UnauthenticatedError,
    "account_locked": oa.AccountLockedError,
    "password_change_required": oa.PasswordChangeRequiredError,
    "conflict": oa.ConflictError,
    "incompatible_store": oa.IncompatibleStoreError,
    "storage": oa.StorageError,
    "closed": oa.ClosedError,
    "internal": oa.InternalError,
}


def test_one_class_per_code_under_one_base() -> None:
    assert sorted(oa.error_codes()) == sorted(CLASSES)
    assert issubclass(oa.OaError, Exception)
    for code, cls in CLASSES.items():
        assert issubclass(cls, oa.OaError) and cls is not oa.OaError
        assert cls.code == code
        assert cls.__module__ == "oa"
    assert {c.code for c in oa.OaError.__subclasses__()} == set(oa.error_codes())


def test_a_raised_error_carries_code_message_and_fields(office: oa.Office, admin: oa.Session) -> None:
    with pytest.raises(oa.OaError) as caught:
        office.create_department(admin, name="")
    err = caught.value
    assert isinstance(err, oa.ValidationError)
    assert err.code == "validation"
    assert err.message == str(err) == "invalid input: name: must not be empty"
    assert err.fields == [err.fields[0]] and (err.fields[0].path, err.fields[0].reason) == ("name", "must not be empty")
    assert repr(err.fields[0]) == "FieldError(path='name', reason='must not be empty')"


def test_except_exception_catches_every_oa_error(office: oa.Office) -> None:
    try:
        office.whoami(oa.Session.from_token("forged"))
    except Exception as e:  # noqa: BLE001 - the point of the test
        assert isinstance(e, oa.UnauthenticatedError)
    else:
        pytest.fail("no error")


@pytest.mark.parametrize(
    "call",
    [
        lambda o, s: o.whoami("a token"),
        lambda o, s: o.whoami(None),
        lambda o, s: o.get_person(s, 42),
        lambda o, s: o.get_person(s, None),
        lambda o, s: o.create_department(s, name=None),
        lambda o, s: o.create_department(s, name="X", sort_order="first"),
        lambda o, s: o.create_department(s, name="X", sort_order=1.5),
        lambda o, s: o.list_people(s, limit="10"),
        lambda o, s: o.list_audit(s, from_=date(2026, 1, 1)),
        lambda o, s: o.check_permission(s, b"org.person.read"),
        lambda o, s: o.create_role(s, code="x", name="X", data_scope="all", permissions="org.person.read"),
        lambda o, s: o.set_param(s, "office.name", ["Acme"]),
        lambda o, s: o.sign_in("admin", None),
        lambda o, s: o.import_org_csv(s, None, b""),
    ],
)
def test_a_wrong_python_type_is_a_type_error(
    office: oa.Office, admin: oa.Session, call: Callable[[oa.Office, oa.Session], object]
) -> None:
    with pytest.raises(TypeError):
        call(office, admin)
    assert office.whoami(admin).login == "admin"  # the office still works


def test_missing_arguments_are_type_errors(office: oa.Office, admin: oa.Session) -> None:
    with pytest.raises(TypeError, match="dept"):
        office.create_person(admin, login="clerk", name="Clerk")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="positional"):
        office.create_person(admin, "clerk", "Clerk", "dept")  # type: ignore[call-arg]


def test_type_errors_name_the_argument(office: oa.Office, admin: oa.Session) -> None:
    with pytest.raises(TypeError) as caught:
        office.get_person(admin, 42)  # type: ignore[arg-type]
    notes = getattr(caught.value, "__notes__", [])
    assert "id" in str(caught.value) + " ".join(notes)


def test_ids_that_are_not_ids_are_validation_errors_naming_the_field(office: oa.Office, admin: oa.Session) -> None:
    calls: list[tuple[Callable[[], object], str]] = [
        (lambda: office.get_person(admin, "x"), "id"),
        (lambda: office.get_department(admin, ""), "id"),
        (lambda: office.list_people(admin, dept="x"), "dept"),
        (lambda: office.check_permission(admin, "org.person.read", owner="x"), "owner"),
        (lambda: office.list_audit(admin, actor="x"), "actor"),
        (lambda: office.grant_role(admin, person="x", role="admin"), "person"),
    ]
    for call, field in calls:
        with pytest.raises(oa.ValidationError) as caught:
            call()
        assert [f.path for f in caught.value.fields] == [field]


def test_records_are_immutable(office: oa.Office, admin: oa.Session) -> None:
    me = office.whoami(admin)
    with pytest.raises(AttributeError):
        me.login = "someone"  # type: ignore[misc]
    with pytest.raises(TypeError):
        oa.Person()
