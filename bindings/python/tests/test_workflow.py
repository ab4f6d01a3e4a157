"""The approval workflow (审批流程): processes, instances, tasks and their lists, as a day in an
office uses them (mirrors tests/it/workflow_day.rs of the core)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

import oa

from conftest import signed_in

LEAVE_FIELDS: list[dict[str, Any]] = [
    {"key": "days", "label": "天数", "type": "number", "required": True, "min": "0.5", "max": "30"},
    {"key": "reason", "label": "事由", "type": "long_text", "required": True},
]

LEAVE_PROCESS: dict[str, Any] = {
    "key": "leave",
    "name": "请假审批",
    "formKey": "leave",
    "process": {
        "nodeId": "start",
        "type": "start",
        "childNode": {
            "nodeId": "head",
            "type": "approval",
            "name": "部门负责人",
            "props": {"approvers": {"strategy": "dept_head"}, "method": "single"},
            "childNode": {
                "nodeId": "length",
                "type": "route",
                "conditionNodes": [
                    {
                        "nodeId": "long",
                        "condition": "days > 3",
                        "childNode": {
                            "nodeId": "hr",
                            "type": "approval",
                            "name": "人事",
                            "props": {"approvers": {"strategy": "role", "role": "hr"}, "method": "any"},
                        },
                    },
                    {"nodeId": "short", "default": True},
                ],
            },
        },
    },
}

# A memo goes to zhang, then to wang, then is copied to wang.
MEMO_PROCESS: dict[str, Any] = {
    "key": "memo",
    "name": "备忘",
    "formKey": "leave",
    "process": {
        "nodeId": "start",
        "type": "start",
        "childNode": {
            "nodeId": "first",
            "type": "approval",
            "props": {"approvers": {"strategy": "people", "people": ["zhang"]}, "method": "single"},
            "childNode": {
                "nodeId": "second",
                "type": "approval",
                "props": {"approvers": {"strategy": "people", "people": ["wang"]}, "method": "single"},
                "childNode": {
                    "nodeId": "copy",
                    "type": "cc",
                    "props": {"recipients": {"strategy": "people", "people": ["wang"]}},
                },
            },
        },
    },
}

BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
             xmlns:flowable="http://flowable.org/bpmn" targetNamespace="oa">
  <process id="trip" name="出差">
    <startEvent id="start"/>
    <userTask id="approve" name="审批" flowable:assignee="zhang"/>
    <endEvent id="end"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="approve"/>
    <sequenceFlow id="f2" sourceRef="approve" targetRef="end"/>
  </process>
</definitions>
"""


class Day:
    """An office with Sales (head zhang, li under him) and HR (wang, of the role `hr`), the
    leave form and the leave and memo processes."""

    def __init__(self, office: oa.Office, admin: oa.Session, root: oa.Department) -> None:
        self.office, self.admin = office, admin
        sales = office.create_department(admin, name="Sales", parent=root.id)
        hr = office.create_department(admin, name="HR", parent=root.id)
        self.zhang, self.zhang_s = signed_in(office, admin, "zhang", sales.id)
        self.li, self.li_s = signed_in(office, admin, "li", sales.id, superior=self.zhang.id)
        self.wang, self.wang_s = signed_in(office, admin, "wang", hr.id)
        office.set_department_head(admin, sales.id, self.zhang.id)
        office.create_role(admin, code="staff", name="Staff", data_scope="self_only",
                           permissions=["workflow.instance.start"])
        office.create_role(admin, code="hr", name="HR", data_scope="all")
        office.grant_role(admin, person=self.li.id, role="staff")
        office.grant_role(admin, person=self.wang.id, role="hr")
        office.define_form(admin, key="leave", name="请假 Leave", fields=LEAVE_FIELDS)
        self.leave = office.publish_process_json(admin, json.dumps(LEAVE_PROCESS))
        self.memo = office.publish_process_json(admin, MEMO_PROCESS)

    def start(self, title: str, days: str, process: str = "leave", **kw: Any) -> oa.Instance:
        return self.office.start_process(self.li_s, process_key=process, title=title,
                                         data={"days": days, "reason": "family"}, **kw)

    def task_of(self, session: oa.Session, instance: oa.Instance) -> oa.Task:
        return next(t for t in self.office.todo(session, limit=50) if t.instance == instance.id)

    def status(self, instance: oa.Instance) -> str:
        return self.office.instance(self.admin, instance.id).instance.status


@pytest.fixture
def day(office: oa.Office, admin: oa.Session, root: oa.Department) -> Day:
    return Day(office, admin, root)


def test_leave_requests_walk_the_path_their_data_chooses(day: Day) -> None:
    office, zhang_s, li_s, wang_s = day.office, day.zhang_s, day.li_s, day.wang_s
    assert (day.leave.key, day.leave.version, day.leave.form_key) == ("leave", 1, "leave")
    assert "hr" in day.leave.node_ids and day.leave.graph["nodes"]

    short = day.start("li: 2 days", "2")
    long = day.start("li: 5 days", "5")
    assert short.status == "running" and short.initiator == day.li.id
    assert short.waiting_at == ["head"]
    todo = office.todo(zhang_s, limit=10)
    assert sorted(t.title for t in todo) == ["li: 2 days", "li: 5 days"]
    assert all(t.kind == "approve" and t.status == "pending" and t.node == "head" for t in todo)
    assert office.badge_counts(zhang_s).todo == 2
    for task in todo:
        office.approve(zhang_s, task.id, "ok")

    assert office.instance(li_s, short.id).instance.status == "approved"
    assert office.instance(li_s, long.id).instance.status == "running"
    assert [t.title for t in office.todo(wang_s)] == ["li: 5 days"]
    hr_task = office.todo(wang_s)[0]
    with pytest.raises(oa.PermissionDeniedError):
        office.approve(zhang_s, hr_task.id, "me too")
    done = office.approve(wang_s, hr_task.id, "approved")
    assert done.status == "approved" and done.ended_at is not None
    with pytest.raises(oa.InvalidStateError):
        office.approve(wang_s, hr_task.id, "again")
    assert list(office.todo(wang_s)) == []

    assert len(office.done(zhang_s, limit=10)) == 2
    assert office.done(wang_s)[0].status == "approved"
    mine = office.started_by_me(li_s, limit=10)
    assert sorted(i.title for i in mine) == ["li: 2 days", "li: 5 days"]
    assert office.started_by_me(li_s, text="5 DAYS")[0].id == long.id
    assert office.badge_counts(zhang_s) == office.badge_counts(wang_s)
    assert office.badge_counts(zhang_s).todo == 0 and office.badge_counts(zhang_s).cc_unread == 0

    detail = office.instance(li_s, long.id)
    assert detail.instance.data["days"] in (5, "5")
    assert [t.node for t in detail.tasks] == ["head", "hr"]
    actions = [e.action for e in detail.history]
    assert actions[0] == "submitted" and actions[-1] == "ended" and "approved" in actions
    assert detail.history[0].actor == day.li.id and "InstanceDetail(" in repr(detail)

    # Bad data is refused whole, naming the field; someone without the right cannot start.
    with pytest.raises(oa.ValidationError) as bad:
        day.start("bad", "45")
    assert bad.value.fields[0].path == "data.days"
    with pytest.raises(oa.PermissionDeniedError):
        office.start_process(wang_s, process_key="leave", title="wang", data={"days": "1", "reason": "x"})
    assert len(office.started_by_me(li_s)) == 2
    assert office.verify_audit_chain(day.admin).is_intact()


def test_reject_ends_the_instance(day: Day) -> None:
    inst = day.start("li: 1 day", "1")
    rejected = day.office.reject(day.zhang_s, day.task_of(day.zhang_s, inst).id, "not now")
    assert rejected.status == "rejected"
    detail = day.office.instance(day.li_s, inst.id)
    assert detail.tasks[0].status == "rejected" and detail.tasks[0].comment == "not now"
    assert "rejected" in [e.action for e in detail.history]


def test_return_to_the_initiator_and_resubmit(day: Day) -> None:
    office = day.office
    inst = day.start("li: 1 day", "1")
    returned = office.return_task(day.zhang_s, day.task_of(day.zhang_s, inst).id, "initiator", "say why")
    assert returned.status == "running"
    assert returned.returned is not None and returned.returned["from"] == "head"
    resubmit_task = office.todo(day.li_s)[0]
    assert resubmit_task.kind == "resubmit"
    again = office.resubmit(day.li_s, inst.id, {"days": "1.5", "reason": "a wedding"})
    assert again.returned is None and again.waiting_at == ["head"]
    task = day.task_of(day.zhang_s, inst)
    assert office.approve(day.zhang_s, task.id).status == "approved"
    actions = [e.action for e in office.instance(day.li_s, inst.id).history]
    assert "returned" in actions and "resubmitted" in actions


def test_the_initiator_withdraws(day: Day) -> None:
    inst = day.start("li: 1 day", "1")
    assert day.office.withdraw(day.li_s, inst.id).status == "withdrawn"
    assert list(day.office.todo(day.zhang_s)) == []
    with pytest.raises(oa.InvalidStateError):
        day.office.withdraw(day.li_s, inst.id)


def test_transfer_hands_the_task_on(day: Day) -> None:
    office = day.office
    inst = day.start("li: 1 day", "1")
    task = day.task_of(day.zhang_s, inst)
    new = office.transfer(day.zhang_s, task.id, day.wang.id, "you decide")
    assert new.assignee == day.wang.id and new.status == "pending" and new.seat == task.id
    assert list(office.todo(day.zhang_s)) == []
    assert office.approve(day.wang_s, new.id, "fine").status == "approved"
    assert office.instance(day.li_s, inst.id).tasks[0].status == "transferred"


def test_bad_input(day: Day) -> None:
    office = day.office
    inst = day.start("li: 1 day", "1")
    task = day.task_of(day.zhang_s, inst)
    with pytest.raises(oa.PermissionDeniedError):
        office.approve(day.li_s, task.id)
    office.approve(day.zhang_s, task.id)
    with pytest.raises(oa.InvalidStateError):
        office.approve(day.zhang_s, task.id)
    with pytest.raises(oa.ValidationError) as bad:
        day.start("bad", "0")
    assert [f.path for f in bad.value.fields] == ["data.days"]
    with pytest.raises(oa.ValidationError) as not_an_id:
        office.approve(day.zhang_s, "nope")
    assert not_an_id.value.fields[0].path == "task"
    with pytest.raises(TypeError):
        office.start_process(day.li_s, process_key="leave", title="t", data=[1, 2])  # type: ignore[arg-type]
    with pytest.raises(oa.ValidationError):
        office.return_task(day.zhang_s, task.id, "sideways")  # type: ignore[arg-type]
    with pytest.raises(oa.ValidationError):
        office.add_signer(day.zhang_s, task.id, day.wang.id, "beside")  # type: ignore[arg-type]
    with pytest.raises(oa.NotFoundError):
        office.get_process(day.admin, "no-such-process")
    with pytest.raises(oa.ValidationError):
        office.todo(day.zhang_s, from_=datetime(2026, 1, 1))
    with pytest.raises(oa.ValidationError) as graph:
        office.publish_process(day.admin, key="x", name="X", form_key="leave", definition={"nodes": 3})
    assert graph.value.fields[0].path == "definition"


def test_bpmn_import(day: Day) -> None:
    office = day.office
    trip = office.import_bpmn(day.admin, BPMN, "leave")
    assert (trip.key, trip.name, trip.version) == ("trip", "出差", 1)
    assert set(trip.node_ids) >= {"start", "approve", "end"}
    inst = day.start("li: trip", "2", process="trip")
    task = day.task_of(day.zhang_s, inst)
    assert task.node == "approve"
    assert office.approve(day.zhang_s, task.id).status == "approved"
    assert office.import_bpmn(day.admin, BPMN.encode(), "leave", 1).version == 1


def test_process_definitions(day: Day) -> None:
    office, admin = day.office, day.admin
    assert [p.key for p in office.list_processes(admin)] == ["leave", "memo"]
    got = office.get_process(admin, "leave")
    assert got == day.leave and office.get_process(admin, "leave", 1) == got
    graph = got.graph
    assert office.validate_process(admin, key="leave", name="请假审批", form_key="leave", definition=graph) == []
    problems = office.validate_process(admin, key="leave", name="请假", form_key="leave",
                                       definition={"nodes": [{"id": "start", "type": "start", "next": "nowhere"}]})
    assert problems and all(isinstance(p, oa.FieldError) for p in problems)
    v2 = office.publish_process(admin, key="leave", name="请假审批 v2", form_key="leave", definition=graph,
                                category="HR", form_version=1)
    assert (v2.version, v2.category, v2.name) == (2, "HR", "请假审批 v2")
    versions = office.process_versions(admin, "leave")
    assert [v.version for v in versions] == [1, 2] and versions[0].nodes == len(got.node_ids)
    assert "ProcessVersion(" in repr(versions[0]) and "ProcessDefinition(" in repr(v2)


def test_drafts(day: Day) -> None:
    office, li_s = day.office, day.li_s
    draft = office.save_draft(li_s, process_key="leave", title="draft", data={"days": "1"})
    assert draft.status == "draft"
    draft = office.save_draft(li_s, draft.id, process_key="leave", title="draft 2",
                              data={"days": "1", "reason": "rest"})
    assert draft.title == "draft 2"
    assert office.submit_draft(li_s, draft.id).status == "running"
    other = office.save_draft(li_s, process_key="leave", title="gone", data={})
    office.delete_draft(li_s, other.id)
    with pytest.raises(oa.NotFoundError):
        office.instance(li_s, other.id)


def test_signers_comments_urging_and_copies(day: Day) -> None:
    office = day.office
    inst = day.start("li: memo", "1", process="memo")
    task = day.task_of(day.zhang_s, inst)
    signer = office.add_signer(day.zhang_s, task.id, day.wang.id, "alongside")
    assert signer.assignee == day.wang.id and signer.added_by == day.zhang.id
    office.remove_signer(day.zhang_s, signer.id)
    office.comment(day.zhang_s, inst.id, "looking")
    assert office.urge(day.li_s, inst.id) == 1
    office.approve(day.zhang_s, task.id, "ok")
    office.approve(day.wang_s, day.task_of(day.wang_s, inst).id, "ok")
    copies = office.cc_to_me(day.wang_s, unread_only=True)
    assert [c.kind for c in copies] == ["cc"] and office.badge_counts(day.wang_s).cc_unread == 1
    read = office.mark_cc_read(day.wang_s, copies[0].id)
    assert read.status == "read" and list(office.cc_to_me(day.wang_s, unread_only=True)) == []
    assert len(office.cc_to_me(day.wang_s)) == 1
    actions = [e.action for e in office.instance(day.li_s, inst.id).history]
    assert {"signer_added", "signer_removed", "commented", "urged", "cc_sent", "cc_read"} <= set(actions)
    # Business keys need a module that handles them (none is registered here).
    assert office.instances_of(day.admin, "contract:01JABCDEFGHJKMNPQRSTVWXYZ0") == []
    with pytest.raises(oa.ValidationError) as bad:
        day.start("li: contract", "1", business_key="contract:01JABCDEFGHJKMNPQRSTVWXYZ0")
    assert bad.value.fields[0].path == "business_key"


def test_administration(day: Day) -> None:
    office, admin = day.office, day.admin
    first = day.start("li: memo 1", "1", process="memo")
    second = day.start("li: memo 2", "1", process="memo")
    at_first = office.instances_at_node(admin, "memo", "first", limit=10)
    assert sorted(i.id for i in at_first) == sorted([first.id, second.id])
    jumped = office.jump(admin, first.id, "second")
    assert jumped.waiting_at == ["second"]
    assert [i.id for i in office.instances_at_node(admin, "memo", "second")] == [first.id]
    assert office.terminate(admin, second.id, "duplicate").status == "terminated"
    report = office.process_due(admin, datetime.now(timezone.utc) + timedelta(days=365))
    assert isinstance(report, oa.DueReport) and report.reminded == [] and report.skipped == 0
    with pytest.raises(oa.PermissionDeniedError):
        office.terminate(day.li_s, first.id, "mine")


def test_return_to_a_node(day: Day) -> None:
    office = day.office
    # A memo's second node may return it to the first.
    graph = office.get_process(day.admin, "memo").graph
    for node in graph["nodes"]:
        if node["id"] == "second":
            node["returns"] = {"to": "any_earlier"}
    office.publish_process(day.admin, key="memo", name="备忘", form_key="leave", definition=graph)
    inst = day.start("li: memo", "1", process="memo")
    office.approve(day.zhang_s, day.task_of(day.zhang_s, inst).id)
    back = office.return_task(day.wang_s, day.task_of(day.wang_s, inst).id, oa.ReturnTarget.to_node("first"))
    assert back.waiting_at == ["first"]
    assert oa.ReturnTarget.previous() == oa.ReturnTarget("previous")
    assert oa.ReturnTarget.initiator().kind == "initiator"
