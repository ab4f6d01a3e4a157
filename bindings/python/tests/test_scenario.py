"""A day in an office, on disk: import the organisation, reset a password, grant roles, check
permissions and scopes, read the audit log and verify its chain, then reopen the office."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import oa
from conftest import DATA, PASSWORD


def test_a_day_in_the_office(tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    departments_csv = (DATA / "departments.csv").read_bytes()
    people_csv = (DATA / "people.csv").read_bytes()
    rows = list(csv.DictReader((DATA / "people.csv").read_text(encoding="utf-8").splitlines()))
    dept_rows = list(csv.DictReader((DATA / "departments.csv").read_text(encoding="utf-8").splitlines()))

    # Morning: the office is set up, without separation of duties, and the organisation imported.
    office = oa.Office.init_folder(
        folder, office_name="Acme 集团", admin_login="admin", admin_name="系统管理员", admin_password=PASSWORD
    )
    admin = office.sign_in("admin", PASSWORD)
    assert office.get_param(admin, "security.separation_of_duties").value is False
    report = office.import_org_csv(admin, departments_csv, people_csv)
    assert (report.departments_created, report.people_created) == (len(dept_rows), len(rows))
    by_code = {d.code: d for d in office.list_departments(admin) if d.code}
    assert set(by_code) == {r["code"] for r in dept_rows}

    # The head of Sales gets a password from the administrator and must change it.
    sales = by_code["SALES"]
    head_row = next(r for r in rows if r["dept_code"] == "SALES" and not r["superior_login"])
    head = office.find_person_by_login(admin, head_row["login"])
    office.set_department_head(admin, sales.id, head.id)
    office.reset_password(admin, head.id, "temporary password 1")
    session = office.sign_in(head.login, "temporary password 1")
    assert office.whoami(session).must_change_password
    with pytest.raises(oa.PasswordChangeRequiredError):
        office.list_people(session)
    office.change_password(session, "temporary password 1", "sales head's own password")
    assert not office.whoami(session).must_change_password

    # Without a role the head sees nothing; each refusal is audited.
    assert not office.check_permission(session, "org.person.read")
    with pytest.raises(oa.PermissionDeniedError):
        office.list_people(session)

    # A manager's role over their own department and below.
    office.create_role(
        admin,
        code="dept_manager",
        name="部门经理 Department manager",
        permissions=["org.dept.read", "org.person.read", "org.person.update"],
        data_scope="own_dept_and_below",
    )
    office.grant_role(admin, person=head.id, role="dept_manager")
    assert office.check_permission(session, "org.person.read", dept=by_code["SALES-E-SH"].id)
    assert not office.check_permission(session, "org.person.read", dept=by_code["FIN"].id)
    scope = office.permission_scope(session, "org.person.read")
    assert scope.subtrees == [sales.id] and not scope.all

    # The scope filters every list: the Sales subtree and nothing else.
    sales_codes = {r["code"] for r in dept_rows if r["code"] == "SALES" or r["code"].startswith("SALES-")}
    expected = {r["login"] for r in rows if r["dept_code"] in sales_codes}
    assert {d.code for d in office.list_departments(session)} == sales_codes
    seen: list[str] = []
    cursor = None
    while True:
        page = office.list_people(session, cursor=cursor, limit=40)
        seen += [p.login for p in page]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) and set(seen) == expected

    # The head updates someone in scope, and is refused outside it.
    rep = office.find_person_by_login(session, next(r["login"] for r in rows if r["dept_code"] == "SALES-E-SH"))
    assert office.update_person(session, rep.id, position="高级销售 Senior Sales").position == "高级销售 Senior Sales"
    finance_person = office.find_person_by_login(admin, next(r["login"] for r in rows if r["dept_code"] == "FIN"))
    with pytest.raises(oa.PermissionDeniedError):
        office.update_person(session, finance_person.id, position="x")

    # A grant limited to Finance lets the head read Finance too, and only Finance.
    office.create_role(admin, code="people_reader", name="Reader", permissions=["org.person.read"], data_scope="all")
    grant = office.grant_role(admin, person=head.id, role="people_reader", limit_to_dept=by_code["FIN"].id)
    assert office.get_person(session, finance_person.id).login == finance_person.login
    assert not office.check_permission(session, "org.person.read", dept=by_code["HR"].id)
    assert office.effective_permissions(session, head.id) == ["org.dept.read", "org.person.read", "org.person.update"]

    # Evening: the administrator reads the audit log and verifies the chain.
    denied = [r for r in office.list_audit(admin, actor=head.id, limit=100) if r.outcome == "denied"]
    assert {r.operation for r in denied} >= {"org.person.list", "org.person.update"}
    grants = office.list_audit(admin, operation="perm.grant.create")
    assert [r.target for r in grants] == [f"grant:{grant.id}", grants[1].target]
    chain = office.verify_audit_chain(admin)
    assert chain.is_intact()
    newest = office.list_audit(admin, limit=1)[0]
    assert chain.checked == newest.seq and chain.head_hash == newest.hash
    office.sign_out(session)
    office.close()

    # Next morning: everything is still there.
    with oa.Office.open_folder(folder) as office:
        session = office.sign_in(head.login, "sales head's own password")
        assert office.get_person(session, rep.id).position == "高级销售 Senior Sales"
        admin = office.sign_in("admin", PASSWORD)
        assert office.verify_audit_chain(admin).checked > chain.checked
