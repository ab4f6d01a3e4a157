"""Times oa's Python binding running the expense claim of ``expense.bpmn`` from start to end.

The office is set up through the binding: the form, the roles, a team of six people (who starts
claims, their manager and director, and three reviewers holding the role ``reviewer``), each
signed in with a password of their own, and the process imported from the same BPMN file with
``import_bpmn``. Each claim is then run as its people would: the initiator starts it, and each
of the five approvers opens their todo list (first page), finds the claim's task and approves
it. Every call is a full operation of the engine: the session is checked, the change is written
with its indexes and its audit record in one transaction.

Prints one line of JSON: {"engine": "oa", "store": ..., "claims": N, "seconds": S,
"per_second": R}.
"""

import argparse
import json
import tempfile
import time
from pathlib import Path

import oa

HERE = Path(__file__).resolve().parent
ADMIN_PASSWORD = "correct horse battery"
FIRST_PASSWORD = "bench-first-0001"
CHOSEN_PASSWORD = "bench-chosen-0002"


def open_office(store: str, folder: str) -> oa.Office:
    init = dict(office_name="Bench Office", admin_login="admin", admin_name="Administrator", admin_password=ADMIN_PASSWORD)
    if store == "memory":
        return oa.Office.init_memory(**init)
    return oa.Office.init_folder(folder, **init)


def set_up(office: oa.Office):
    admin = office.sign_in("admin", ADMIN_PASSWORD)
    office.define_form(
        admin,
        key="expense",
        name="报销 Expense",
        fields=[
            {"key": "amount", "label": "金额", "type": "number", "required": True, "min": "0"},
            {"key": "reason", "label": "事由", "type": "text", "required": True},
            {"key": "manager", "label": "经理", "type": "person", "required": True},
            {"key": "director", "label": "总监", "type": "person", "required": True},
        ],
    )
    office.create_role(admin, code="staff", name="Staff", data_scope="all", permissions=["workflow.instance.start"])
    office.create_role(admin, code="reviewer", name="Reviewer", data_scope="all")
    logins = ["i00", "m00", "d00", "ra00", "rb00", "rc00"]
    office.import_org_csv(
        admin,
        "code,name,parent_code\nT00,Team 0,\n",
        "login,name,dept_code\n" + "".join(f"{login},Person {login},T00\n" for login in logins),
    )
    ids = {login: office.find_person_by_login(admin, login).id for login in logins}
    office.grant_role(admin, person=ids["i00"], role="staff")
    for login in ["ra00", "rb00", "rc00"]:
        office.grant_role(admin, person=ids[login], role="reviewer")
    sessions = {}
    for login in logins:
        office.reset_password(admin, ids[login], FIRST_PASSWORD)
        first = office.sign_in(login, FIRST_PASSWORD)
        office.change_password(first, FIRST_PASSWORD, CHOSEN_PASSWORD)
        sessions[login] = first
    office.import_bpmn(admin, (HERE / "expense.bpmn").read_text(encoding="utf-8"), "expense")
    approvers = [sessions[login] for login in ["m00", "d00", "ra00", "rb00", "rc00"]]
    return sessions["i00"], approvers, ids


def run_claim(office: oa.Office, initiator, approvers, ids, n: int) -> None:
    office.start_process(
        initiator,
        process_key="expense",
        title=f"Expense claim {n}",
        data={"amount": f"{100 + n % 5000}.50", "reason": "client visit", "manager": ids["m00"], "director": ids["d00"]},
    )
    last = None
    for session in approvers:
        page = office.todo(session, limit=20)
        assert len(page) == 1, "each approver has one task pending at a time"
        last = office.approve(session, page[0].id, "同意")
    assert last is not None and last.status == "approved", "the claim ends approved after its five approvals"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=5000)
    parser.add_argument("--store", choices=["memory", "sled"], default="memory")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        office = open_office(args.store, str(Path(tmp) / "office"))
        initiator, approvers, ids = set_up(office)
        for n in range(min(100, args.claims)):  # warm-up
            run_claim(office, initiator, approvers, ids, n)
        started = time.perf_counter()
        for n in range(args.claims):
            run_claim(office, initiator, approvers, ids, 100 + n)
        seconds = time.perf_counter() - started
        office.close()
    print(
        json.dumps(
            {
                "engine": "oa",
                "store": args.store,
                "claims": args.claims,
                "seconds": seconds,
                "per_second": args.claims / seconds,
            }
        )
    )


if __name__ == "__main__":
    main()
