"""Opening, closing and initialising offices (the core's `init`, `open` and `close`)."""

from __future__ import annotations

from pathlib import Path

import pytest

import oa
from conftest import PASSWORD


def init_folder(path: Path) -> oa.Office:
    return oa.Office.init_folder(
        path, office_name="Acme", admin_login="admin", admin_name="Administrator", admin_password=PASSWORD
    )


def test_an_office_in_a_folder_survives_closing_and_reopening(tmp_path: Path) -> None:
    folder = tmp_path / "office"
    with init_folder(folder) as office:
        assert office.backend == "sled"
        admin = office.sign_in("admin", PASSWORD)
        root = office.list_departments(admin)[0]
        office.create_department(admin, name="Finance", code="FIN", parent=root.id)
    assert office.closed
    # The folder is free again once closed; a str path works as well as a Path.
    with oa.Office.open_folder(str(folder)) as again:
        admin = again.sign_in("admin", PASSWORD)
        assert [d.code for d in again.list_departments(admin)] == [None, "FIN"]
        assert again.verify_audit_chain(admin).is_intact()


def test_a_folder_is_opened_by_one_handle_at_a_time(tmp_path: Path) -> None:
    with init_folder(tmp_path / "office"):
        with pytest.raises(oa.IncompatibleStoreError, match="in use") as caught:
            oa.Office.open_folder(tmp_path / "office")
        assert caught.value.code == "incompatible_store"


def test_opening_what_is_not_an_office_is_refused(tmp_path: Path) -> None:
    with pytest.raises(oa.IncompatibleStoreError, match="does not exist"):
        oa.Office.open_folder(tmp_path / "empty")
    assert not (tmp_path / "empty").exists()  # opening creates nothing
    a_file = tmp_path / "file.txt"
    a_file.write_text("not an office")
    with pytest.raises(oa.IncompatibleStoreError, match="file"):
        oa.Office.open_folder(a_file)


def test_initialising_twice_is_an_invalid_state(tmp_path: Path) -> None:
    init_folder(tmp_path / "office").close()
    with pytest.raises(oa.InvalidStateError, match="already holds an office"):
        init_folder(tmp_path / "office")


def test_bad_initial_input_names_every_field_and_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(oa.ValidationError) as caught:
        oa.Office.init_folder(
            tmp_path / "office", office_name=" ", admin_login="a", admin_name="Admin", admin_password="short"
        )
    assert sorted(f.path for f in caught.value.fields) == ["admin_login", "admin_password", "office_name"]
    assert not (tmp_path / "office").exists()


def test_separation_of_duties_starts_with_three_accounts() -> None:
    with oa.Office.init_memory(
        office_name="Agency",
        admin_login="sysadmin",
        admin_name="System Administrator",
        admin_password=PASSWORD,
        separation_of_duties=True,
        security_admin=oa.InitAccount("secadmin", "Security Administrator", PASSWORD),
        auditor=oa.InitAccount("auditor", "Auditor", PASSWORD),
    ) as office:
        sysadmin = office.sign_in("sysadmin", PASSWORD)
        auditor = office.sign_in("auditor", PASSWORD)
        assert office.get_param(sysadmin, "security.separation_of_duties").value is True
        assert not office.check_permission(sysadmin, "audit.log.read")
        assert office.check_permission(auditor, "audit.log.read")
        assert office.verify_audit_chain(auditor).is_intact()


def test_separation_of_duties_needs_its_accounts() -> None:
    with pytest.raises(oa.ValidationError) as caught:
        oa.Office.init_memory(
            office_name="Agency", admin_login="sysadmin", admin_name="S", admin_password=PASSWORD, separation_of_duties=True
        )
    assert {f.path for f in caught.value.fields} == {"security_admin", "auditor"}


def test_init_account_never_shows_its_password() -> None:
    account = oa.InitAccount("secadmin", "Security Administrator", "a secret password")
    assert "a secret password" not in repr(account)
    assert (account.login, account.name) == ("secadmin", "Security Administrator")
    assert not hasattr(account, "password")


def test_a_closed_office_refuses_every_call(office: oa.Office, admin: oa.Session) -> None:
    office.close()
    office.close()  # closing twice does nothing
    assert office.closed and "closed" in repr(office)
    with pytest.raises(oa.ClosedError) as caught:
        office.whoami(admin)
    assert caught.value.code == "closed"
    with pytest.raises(oa.ClosedError):
        office.sign_in("admin", PASSWORD)


def test_the_context_manager_closes_even_on_error() -> None:
    with pytest.raises(RuntimeError):
        with oa.Office.init_memory(
            office_name="Acme", admin_login="admin", admin_name="A", admin_password=PASSWORD
        ) as office:
            raise RuntimeError("boom")
    assert office.closed


def test_memory_offices_are_independent(office: oa.Office) -> None:
    assert office.backend == "memory"
    assert repr(office) == "Office(backend='memory')"
    with oa.Office.init_memory(office_name="Other", admin_login="boss", admin_name="B", admin_password=PASSWORD) as other:
        with pytest.raises(oa.UnauthenticatedError):
            other.sign_in("admin", PASSWORD)
