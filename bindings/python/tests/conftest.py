"""Shared fixtures: a fresh office in memory with its administrator signed in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import oa

PASSWORD = "correct horse battery"
DATA = Path(__file__).resolve().parents[3] / "examples" / "data"


@pytest.fixture
def office() -> Iterator[oa.Office]:
    with oa.Office.init_memory(
        office_name="Acme",
        admin_login="admin",
        admin_name="Administrator",
        admin_password=PASSWORD,
    ) as office:
        yield office


@pytest.fixture
def admin(office: oa.Office) -> oa.Session:
    return office.sign_in("admin", PASSWORD)


@pytest.fixture
def root(office: oa.Office, admin: oa.Session) -> oa.Department:
    return office.list_departments(admin)[0]


def signed_in(office: oa.Office, admin: oa.Session, login: str, dept: str, **fields: str) -> tuple[oa.Person, oa.Session]:
    """A new person of `dept` who signed in and changed the initial password to PASSWORD."""
    person = office.create_person(admin, login=login, name=login.title(), dept=dept, initial_password="first password", **fields)
    session = office.sign_in(login, "first password")
    office.change_password(session, "first password", PASSWORD)
    return person, session
