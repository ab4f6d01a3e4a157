"""Departments and people, and importing them from CSV."""

from __future__ import annotations

import csv
import io

import pytest

import oa
from conftest import DATA


def test_department_tree_operations(office: oa.Office, admin: oa.Session, root: oa.Department) -> None:
    fin = office.create_department(admin, name="Finance", code="FIN", parent=root.id)
    assert (fin.name, fin.code, fin.parent, fin.status, fin.head) == ("Finance", "FIN", root.id, "active", None)
    assert fin.created_at == fin.updated_at and fin.created_at.tzinfo is not None
    ap = office.create_department(admin, name="Payables", parent=fin.id, sort_order=5)
    ar = office.create_department(admin, name="Receivables", parent=fin.id, sort_order=1)
    assert [d.name for d in office.department_children(admin, fin.id)] == ["Receivables", "Payables"]
    office.reorder_department(admin, ar.id, 9)
    assert [d.name for d in office.department_children(admin, fin.id)] == ["Payables", "Receivables"]
    assert office.rename_department(admin, ap.id, "Accounts Payable").name == "Accounts Payable"
    assert [d.id for d in office.department_subtree(admin, fin.id)] == [fin.id, ap.id, ar.id]
    moved = office.move_department(admin, ar.id, root.id)
    assert moved.parent == root.id
    made_root = office.move_department(admin, moved.id, None, sort_order=3)
    assert made_root.parent is None
    assert office.get_department(admin, fin.id) == office.get_department(admin, fin.id)
    assert office.find_department_by_code(admin, "fin").id == fin.id
    with pytest.raises(oa.NotFoundError):
        office.find_department_by_code(admin, "NOPE")
    assert len(office.list_departments(admin)) == 4
    assert repr(fin).startswith("Department(id='") and "name='Finance'" in repr(fin)


def test_department_rules_surface_as_typed_errors(office: oa.Office, admin: oa.Session, root: oa.Department) -> None:
    fin = office.create_department(admin, name="Finance", parent=root.id)
    with pytest.raises(oa.ValidationError) as caught:
        office.create_department(admin, name="finance", code="bad code!", parent=root.id)
    assert sorted(f.path for f in caught.value.fields) == ["code", "name"]
    with pytest.raises(oa.ValidationError, match="parent"):
        office.move_department(admin, root.id, fin.id)
    person = office.create_person(admin, login="clerk", name="Clerk", dept=fin.id)
    with pytest.raises(oa.InvalidStateError) as state:
        office.disable_department(admin, fin.id)
    assert state.value.code == "invalid_state"
    office.transfer_person(admin, person.id, root.id)
    assert office.disable_department(admin, fin.id).status == "disabled"
    assert office.enable_department(admin, fin.id).status == "active"
    with pytest.raises(oa.NotFoundError):
        office.get_department(admin, "01ARZ3NDEKTSV4RRFFQ69G5FAV")


def test_department_heads(office: oa.Office, admin: oa.Session, root: oa.Department) -> None:
    sales = office.create_department(admin, name="Sales", parent=root.id)
    east = office.create_department(admin, name="East", parent=sales.id)
    boss = office.create_person(admin, login="boss", name="Boss", dept=sales.id)
    rep = office.create_person(admin, login="rep", name="Rep", dept=east.id, superior=boss.id)
    assert office.set_department_head(admin, sales.id, boss.id).head == boss.id
    assert office.head_above(admin, rep.id, 0) is None
    assert office.head_above(admin, rep.id, 1) == office.get_person(admin, boss.id)
    assert office.head_above(admin, rep.id, 9) is None
    with pytest.raises(oa.ValidationError, match="levels"):
        office.head_above(admin, rep.id, -1)
    assert office.set_department_head(admin, sales.id, None).head is None
    assert [p.login for p in office.superiors_of(admin, rep.id)] == ["boss"]


def test_person_lifecycle(office: oa.Office, admin: oa.Session, root: oa.Department) -> None:
    hr = office.create_department(admin, name="HR", parent=root.id)
    lead = office.create_person(admin, login="lead", name="Lead", dept=root.id)
    p = office.create_person(
        admin,
        login="zhangwei",
        name="张伟",
        dept=root.id,
        email="zhangwei@acme.example",
        phone="+86 138 0000 0000",
        position="Clerk",
        superior=lead.id,
    )
    assert (p.login, p.name, p.email, p.phone, p.position, p.superior, p.status, p.posts) == (
        "zhangwei",
        "张伟",
        "zhangwei@acme.example",
        "+86 138 0000 0000",
        "Clerk",
        lead.id,
        "active",
        [],
    )
    assert repr(p) == f"Person(id='{p.id}', login='zhangwei', name='张伟', dept='{root.id}', status='active')"
    updated = office.update_person(admin, p.id, email="", position="Senior Clerk", clear_superior=True)
    assert (updated.email, updated.position, updated.superior) == (None, "Senior Clerk", None)
    assert office.transfer_person(admin, p.id, hr.id, position="Recruiter").dept == hr.id
    with_post = office.add_post(admin, p.id, dept=root.id, position="Trainer")
    assert with_post.posts == [office.get_person(admin, p.id).posts[0]]
    assert (with_post.posts[0].dept, with_post.posts[0].position) == (root.id, "Trainer")
    assert office.remove_post(admin, p.id, root.id).posts == []
    assert office.disable_person(admin, p.id).status == "disabled"
    assert office.enable_person(admin, p.id).status == "active"
    assert office.mark_person_left(admin, p.id).status == "left"
    assert office.find_person_by_login(admin, "ZhangWei").id == p.id
    with pytest.raises(oa.NotFoundError):
        office.find_person_by_login(admin, "nobody")


def test_person_validation_names_every_field(office: oa.Office, admin: oa.Session, root: oa.Department) -> None:
    with pytest.raises(oa.ValidationError) as caught:
        office.create_person(admin, login="x", name=" ", dept=root.id, email="not an email")
    paths = {f.path for f in caught.value.fields}
    assert paths == {"login", "name", "email"}
    assert all(isinstance(f, oa.FieldError) and f.reason for f in caught.value.fields)
    assert str(caught.value.fields[0]).startswith("login: ")
    with pytest.raises(oa.ValidationError, match="initial_password"):
        office.create_person(admin, login="clerk", name="Clerk", dept=root.id, initial_password="short")
    with pytest.raises(oa.ValidationError) as bad_id:
        office.create_person(admin, login="clerk", name="Clerk", dept="not-an-id")
    assert bad_id.value.fields == [bad_id.value.fields[0]] and bad_id.value.fields[0].path == "dept"


def test_list_people_pages_and_filters(office: oa.Office, admin: oa.Session, root: oa.Department) -> None:
    team = office.create_department(admin, name="Team", parent=root.id)
    for i in range(7):
        office.create_person(admin, login=f"member{i}", name=f"Member {i}", dept=team.id)
    office.disable_person(admin, office.find_person_by_login(admin, "member6").id)
    first = office.list_people(admin, dept=team.id, limit=3)
    assert len(first) == 3 and first.next_cursor is not None
    assert isinstance(first[0], oa.Person) and first[-1] == first.items[2]
    assert [p.login for p in first[1:]] == [first[1].login, first[2].login]
    with pytest.raises(IndexError):
        first[3]
    logins = [p.login for p in first]
    cursor: str | None = first.next_cursor
    while cursor is not None:
        page = office.list_people(admin, dept=team.id, cursor=cursor, limit=3)
        logins += [p.login for p in page]
        cursor = page.next_cursor
    assert sorted(logins) == [f"member{i}" for i in range(7)]
    assert len(office.list_people(admin, dept=team.id, status="active")) == 6
    assert [p.login for p in office.list_people(admin, text="MEMBER3")] == ["member3"]
    assert len(office.list_people(admin, dept=root.id, include_subtree=True, main_post_only=True)) == 8
    assert "next_cursor=" in repr(first) and bool(first)
    with pytest.raises(oa.ValidationError, match="status"):
        office.list_people(admin, status="retired")  # type: ignore[arg-type]
    with pytest.raises(oa.ValidationError, match="cursor"):
        office.list_people(admin, cursor="garbage!")
    with pytest.raises(oa.ValidationError, match="limit"):
        office.list_people(admin, limit=100_000)


def test_import_org_csv_from_the_examples(office: oa.Office, admin: oa.Session) -> None:
    departments = (DATA / "departments.csv").read_bytes()
    people = (DATA / "people.csv").read_text(encoding="utf-8")
    report = office.import_org_csv(admin, departments, people)
    rows = list(csv.DictReader(io.StringIO(people)))
    counts = (report.departments_created, report.people_created, report.passwords_set, report.without_password)
    assert counts == (24, len(rows), 0, len(rows))
    assert "ImportReport(" in repr(report)
    assert len(office.list_departments(admin)) == 25
    sample = rows[-1]
    person = office.find_person_by_login(admin, sample["login"])
    assert (person.name, person.email) == (sample["name"], sample["email"])


def test_import_reports_every_bad_row_and_writes_nothing(office: oa.Office, admin: oa.Session) -> None:
    departments = "code,name,parent_code\nOPS,Operations,\nOPS,Duplicate,\n"
    people = "login,name,dept_code,email\nok1,Ok,OPS,ok@acme.example\nx,Bad,NOPE,not-an-email\n"
    with pytest.raises(oa.ValidationError) as caught:
        office.import_org_csv(admin, departments, bytearray(people, "utf-8"))
    paths = {f.path for f in caught.value.fields}
    assert {"departments.csv:3.code", "people.csv:3.login", "people.csv:3.email"} <= paths
    assert len(office.list_departments(admin)) == 1
    with pytest.raises(TypeError, match="departments_csv"):
        office.import_org_csv(admin, 42, people)  # type: ignore[arg-type]
