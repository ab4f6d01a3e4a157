"""Standing delegations (委托), delegating a task to get it back (委派), process monitoring
(过程监控), reassignment (改派), version migration (版本迁移) and business types (业务类型),
as an office's week uses them (mirrors tests/it/workflow_delegation.rs and the core's
monitoring tests)."""

from __future__ import annotations

import typing
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

import oa

from conftest import signed_in

LEAVE_FIELDS: list[dict[str, Any]] = [
    {"key": "days", "label": "天数", "type": "number", "required": True},
    {"key": "reason", "label": "事由", "type": "long_text", "required": True},
]


def leave_graph(head_name: str = "部门负责人", deadline: dict[str, Any] | None = None) -> dict[str, Any]:
    """start → head (the initiator's department head) → end, in the core's own graph form."""
    head: dict[str, Any] = {
        "id": "head",
        "name": head_name,
        "type": "approval",
        "next": "end",
        "approvers": {"strategy": "dept_head"},
    }
    if deadline is not None:
        head["deadline"] = deadline
    return {"nodes": [{"id": "start", "type": "start", "next": "head"}, head, {"id": "end", "type": "end"}]}


# A deadline of one working hour, after which the approver is reminded (超时提醒).
ONE_HOUR_THEN_REMIND = {"after": {"amount": 1, "unit": "hours"}, "action": "remind"}


def words(alias: Any) -> set[str]:
    return set(typing.get_args(alias))


def assert_typed(seen: Iterable[str], alias: Any) -> None:
    """Every word the core gave is one the Literal alias of the stubs names."""
    assert set(seen) <= words(alias), set(seen) - words(alias)


class Week:
    """Sales, with zhang its head, li (who asks for leave), wang (zhang's deputy) and chen (a
    colleague zhang asks to check things); the leave form and process, whose approval by the
    department head has a deadline of one working hour."""

    def __init__(self, office: oa.Office, admin: oa.Session, root: oa.Department) -> None:
        self.office, self.admin = office, admin
        self.sales = office.create_department(admin, name="Sales", parent=root.id)
        self.zhang, self.zhang_s = signed_in(office, admin, "zhang", self.sales.id)
        self.li, self.li_s = signed_in(office, admin, "li", self.sales.id, superior=self.zhang.id)
        self.wang, self.wang_s = signed_in(office, admin, "wang", self.sales.id)
        self.chen, self.chen_s = signed_in(office, admin, "chen", self.sales.id)
        office.set_department_head(admin, self.sales.id, self.zhang.id)
        office.create_role(admin, code="staff", name="Staff", data_scope="self_only",
                           permissions=["workflow.instance.start"])
        office.grant_role(admin, person=self.li.id, role="staff")
        office.define_form(admin, key="leave", name="请假 Leave", fields=LEAVE_FIELDS)
        self.leave = office.publish_process(admin, key="leave", name="请假审批", form_key="leave",
                                            definition=leave_graph(deadline=ONE_HOUR_THEN_REMIND))

    def start(self, title: str, **kw: Any) -> oa.Instance:
        return self.office.start_process(self.li_s, process_key="leave", title=title,
                                         data={"days": "1", "reason": "family"}, **kw)

    def task_of(self, session: oa.Session, instance: oa.Instance) -> oa.Task:
        return next(t for t in self.office.todo(session, limit=50) if t.instance == instance.id)

    def history(self, instance: oa.Instance) -> list[oa.HistoryEntry]:
        return self.office.instance(self.admin, instance.id).history

    def today(self) -> date:
        """Today in the office's time zone, where delegations count their days."""
        return self.office.today(self.li_s)


@pytest.fixture
def week(office: oa.Office, admin: oa.Session, root: oa.Department) -> Week:
    return Week(office, admin, root)


def test_away_for_two_days_the_heads_approvals_go_to_his_deputy(week: Week) -> None:
    office, zhang_s, wang_s = week.office, week.zhang_s, week.wang_s
    today = week.today()
    away = office.create_delegation(zhang_s, delegate=week.wang.id, first_day=today,
                                    last_day=today + timedelta(days=1), process_key="leave",
                                    reason="出差 business trip")
    assert (away.owner, away.delegate, away.created_by) == (week.zhang.id, week.wang.id, week.zhang.id)
    assert (away.first_day, away.last_day, away.process_key) == (today, today + timedelta(days=1), "leave")
    assert away.starts_at < away.ends_at and away.cancelled_at is None
    assert away.is_active_at(datetime.now(timezone.utc)) and not away.is_active_at(away.ends_at)
    assert away.covers("leave") and not away.covers("trip")
    assert "Delegation(" in repr(away)
    assert list(office.my_delegations(zhang_s)) == [away]
    assert list(office.delegations_to_me(wang_s, limit=10)) == [away]
    assert list(office.all_delegations(week.admin)) == [away]
    assert list(office.my_delegations(wang_s)) == []

    # li's request reaches wang, for zhang; zhang's list stays empty.
    inst = week.start("li: Tuesday")
    task = week.task_of(wang_s, inst)
    assert (task.assignee, task.on_behalf_of, task.delegated_from) == (week.wang.id, week.zhang.id, None)
    assert "on_behalf_of=" in repr(task)
    assert list(office.todo(zhang_s)) == []
    assert office.approve(wang_s, task.id, "代 zhang 同意").status == "approved"
    assert "redirected" in [e.action for e in week.history(inst)]

    # Back at his desk, zhang reads what was done for him (代办记录), and can see the request.
    for_me = office.tasks_on_my_behalf(zhang_s, limit=10)
    assert [(t.instance, t.assignee, t.status) for t in for_me] == [(inst.id, week.wang.id, "approved")]
    assert office.tasks_on_my_behalf(zhang_s, text="nothing like it").items == []
    assert office.instance(zhang_s, inst.id).instance.status == "approved"

    # Cancelled, the delegation sends nothing more: the next request is zhang's own.
    cancelled = office.cancel_delegation(zhang_s, away.id)
    assert cancelled.cancelled_by == week.zhang.id and cancelled.cancelled_at is not None
    assert not cancelled.is_active_at(datetime.now(timezone.utc))
    later = week.start("li: Wednesday")
    assert week.task_of(zhang_s, later).on_behalf_of is None
    with pytest.raises(oa.InvalidStateError):
        office.cancel_delegation(zhang_s, away.id)
    # Only an administrator sees every delegation; wang may not cancel zhang's.
    with pytest.raises(oa.PermissionDeniedError):
        office.all_delegations(wang_s)
    with pytest.raises(oa.PermissionDeniedError):
        office.cancel_delegation(wang_s, away.id)
    assert_typed([e.action for e in week.history(inst)], oa.HistoryAction)


def test_the_head_hands_a_request_to_a_colleague_who_resolves_it(week: Week) -> None:
    office, zhang_s, chen_s = week.office, week.zhang_s, week.chen_s
    inst = week.start("li: check the dates")
    mine = week.task_of(zhang_s, inst)
    given = office.delegate_task(zhang_s, mine.id, week.chen.id, "请核实")
    assert (given.assignee, given.delegated_from, given.status) == (week.chen.id, mine.id, "pending")
    assert "delegated_from=" in repr(given)
    # zhang still sees his task, marked delegated, but not in his badge; the node waits.
    waiting = week.task_of(zhang_s, inst)
    assert (waiting.id, waiting.status) == (mine.id, "delegated")
    assert office.badge_counts(zhang_s).todo == 0 and office.badge_counts(chen_s).todo == 1
    # chen may only resolve it: the seat's decision stays zhang's.
    with pytest.raises(oa.InvalidStateError):
        office.reject(chen_s, given.id, "no")

    still = office.approve(chen_s, given.id, "核实无误")
    assert still.status == "running" and still.waiting_at == ["head"]
    assert week.task_of(zhang_s, inst).status == "pending"
    tasks = {t.id: t for t in office.instance(week.admin, inst.id).tasks}
    assert tasks[given.id].status == "resolved"
    assert office.approve(zhang_s, mine.id, "同意").status == "approved"
    actions = [e.action for e in week.history(inst)]
    assert {"delegated", "resolved"} <= set(actions)
    assert_typed(actions, oa.HistoryAction)
    assert_typed([t.status for t in tasks.values()], oa.TaskStatus)


def test_the_head_takes_a_delegated_request_back(week: Week) -> None:
    office, zhang_s, chen_s = week.office, week.zhang_s, week.chen_s
    inst = week.start("li: urgent")
    mine = week.task_of(zhang_s, inst)
    given = office.delegate_task(zhang_s, mine.id, week.chen.id)
    back = office.take_back_task(zhang_s, mine.id)
    assert (back.id, back.status) == (mine.id, "pending")
    assert list(office.todo(chen_s)) == []
    with pytest.raises(oa.InvalidStateError):
        office.approve(chen_s, given.id, "too late")
    with pytest.raises(oa.InvalidStateError):
        office.take_back_task(zhang_s, mine.id)
    assert "taken_back" in [e.action for e in week.history(inst)]
    assert office.approve(zhang_s, mine.id).status == "approved"


def test_overdue_requests_are_measured_against_the_deadline_reminders_do_not_move(week: Week) -> None:
    office, admin = week.office, week.admin
    first = week.start("li: first")
    second = week.start("li: second")
    assert office.overdue_tasks(admin).items == [], "an hour of working time has not passed"
    task = week.task_of(week.zhang_s, first)
    assert task.deadline_at is not None and task.due_at == task.deadline_at
    token = office.instance(admin, first.id).instance.tokens[0]
    assert token["node"] == "head" and isinstance(token["entered_at"], datetime)

    # A month on (an explicit instant: the office runs on the system clock), both are overdue,
    # most overdue first. (Started outside working hours, both share a deadline.)
    later = datetime.now(timezone.utc) + timedelta(days=30)
    overdue = office.overdue_tasks(admin, process="leave", at=later, limit=10)
    assert sorted(o.task.instance for o in overdue) == sorted([first.id, second.id])
    assert overdue[0].overdue_seconds >= overdue[1].overdue_seconds > 0
    assert all(o.task.deadline_at is not None and o.task.deadline_at < later for o in overdue)
    assert overdue[0].overdue_working_minutes > 0 and "OverdueTask(" in repr(overdue[0])
    one = office.overdue_tasks(admin, at=later, limit=1)
    assert len(one) == 1 and one.next_cursor is not None
    rest = office.overdue_tasks(admin, at=later, cursor=one.next_cursor, limit=1)
    assert [o.task.id for o in one] + [o.task.id for o in rest] == [o.task.id for o in overdue]

    # The reminders move when each task is next handled, not its deadline.
    report = office.process_due(admin, later)
    assert sorted(report.reminded) == sorted(o.task.id for o in overdue)
    reminded = week.task_of(week.zhang_s, first)
    assert reminded.deadline_at == task.deadline_at and reminded.due_at != reminded.deadline_at
    assert reminded.reminders == 1
    again = office.overdue_tasks(admin, process="leave", at=later, limit=10)
    assert [o.overdue_seconds for o in again] == [o.overdue_seconds for o in overdue]

    # An approved request leaves the list.
    office.approve(week.zhang_s, task.id)
    assert [o.task.instance for o in office.overdue_tasks(admin, at=later)] == [second.id]
    with pytest.raises(oa.NotFoundError):
        office.overdue_tasks(admin, process="nope")


def test_a_request_is_stuck_while_its_approver_is_disabled_until_it_is_reassigned(week: Week) -> None:
    office, admin = week.office, week.admin
    inst = week.start("li: stuck")
    task = week.task_of(week.zhang_s, inst)
    assert office.stuck_instances(admin).items == []
    office.disable_person(admin, week.zhang.id)
    stuck = office.stuck_instances(admin, process="leave", limit=10)
    assert [(s.instance, s.node, s.reason, s.assignees) for s in stuck] == [
        (inst.id, "head", "no_active_assignee", [week.zhang.id])
    ]
    assert stuck.next_cursor is None and stuck[0].process_key == "leave"
    assert_typed([s.reason for s in stuck], oa.StuckReason)

    moved = office.reassign_task(admin, task.id, week.wang.id, "zhang is away for a while")
    assert (moved.assignee, moved.seat, moved.deadline_at) == (week.wang.id, task.id, task.deadline_at)
    assert list(office.stuck_instances(admin)) == []
    detail = office.instance(admin, inst.id)
    assert {t.id: t.status for t in detail.tasks}[task.id] == "transferred"
    assert "reassigned" in [e.action for e in detail.history]
    assert office.approve(week.wang_s, moved.id, "ok").status == "approved"
    with pytest.raises(oa.InvalidStateError):
        office.reassign_task(admin, moved.id, week.chen.id, "too late")
    with pytest.raises(oa.PermissionDeniedError):
        office.reassign_task(week.wang_s, task.id, week.chen.id, "not mine to move")


def test_a_reviewer_who_leaves_before_their_turn_is_replaced_in_the_queue(week: Week) -> None:
    office, admin = week.office, week.admin
    # Leave goes to zhang, then chen, then wang, one after another (依次).
    in_turn = leave_graph()
    in_turn["nodes"][1]["approvers"] = {"strategy": "people", "people": [week.zhang.id, week.chen.id, week.wang.id]}
    in_turn["nodes"][1]["method"] = "in_turn"
    office.publish_process(admin, key="leave", name="请假审批", form_key="leave", definition=in_turn)
    inst = week.start("li: three reviewers")
    assert inst.tokens[0]["in_turn"] == [week.chen.id, week.wang.id]

    # Chen leaves while zhang still reviews: chen holds no task, so reassign_task cannot reach him.
    office.disable_person(admin, week.chen.id)
    # The monitor lists it: it still moves, but will stop at chen's turn.
    stuck = office.stuck_instances(admin, process="leave")
    assert [(s.instance, s.node, s.reason, s.assignees) for s in stuck] == [
        (inst.id, "head", "inactive_in_queue", [week.chen.id])
    ]
    assert_typed([s.reason for s in stuck], oa.StuckReason)
    with pytest.raises(oa.ValidationError) as refused:
        office.reassign_turn(admin, inst.id, week.zhang.id, week.li.id, "zhang holds a task")
    assert [f.path for f in refused.value.fields] == ["from"]
    with pytest.raises(oa.ValidationError) as refused:
        office.reassign_turn(admin, inst.id, week.chen.id, week.wang.id, "wang waits already")
    assert [f.path for f in refused.value.fields] == ["to"]
    with pytest.raises(oa.PermissionDeniedError):
        office.reassign_turn(week.wang_s, inst.id, week.chen.id, week.li.id, "not mine to move")
    with pytest.raises(oa.ValidationError) as refused:
        office.reassign_turn(admin, inst.id, "nope", week.li.id, "why")
    assert [f.path for f in refused.value.fields] == ["from_"]

    moved = office.reassign_turn(admin, inst.id, week.chen.id, week.li.id, "chen left the company")
    assert moved.tokens[0]["in_turn"] == [week.li.id, week.wang.id]
    assert week.history(inst)[-1].action == "reassigned"
    assert week.history(inst)[-1].comment == "chen left the company"
    assert list(office.stuck_instances(admin)) == []

    # The turns go zhang, li, wang.
    office.approve(week.zhang_s, week.task_of(week.zhang_s, inst).id)
    office.approve(week.li_s, week.task_of(week.li_s, inst).id)
    assert office.approve(week.wang_s, week.task_of(week.wang_s, inst).id).status == "approved"
    with pytest.raises(oa.InvalidStateError):
        office.reassign_turn(admin, inst.id, week.wang.id, week.li.id, "too late")


def test_where_requests_wait_and_how_long_each_node_takes(week: Week) -> None:
    office, admin = week.office, week.admin
    before = datetime.now(timezone.utc) - timedelta(minutes=1)
    first = week.start("li: one")
    second = week.start("li: two")
    counts = office.node_counts(admin, "leave")
    assert [(c.node, c.waiting) for c in counts] == [("head", 2)]
    assert counts[0].oldest_entered_at >= before and "NodeCount(" in repr(counts[0])

    waits = office.waiting_at_node(admin, "leave", "head", limit=1)
    assert [w.instance for w in waits] == [first.id] and waits.next_cursor is not None
    rest = office.waiting_at_node(admin, "leave", "head", cursor=waits.next_cursor, limit=1)
    assert [w.instance for w in rest] == [second.id]
    wait = waits[0]
    assert (wait.node, wait.assignees, wait.process_version) == ("head", [week.zhang.id], 1)
    assert wait.entered_at >= before and wait.waited_seconds >= 0 and wait.waited_working_minutes >= 0

    for inst in (first, second):
        office.approve(week.zhang_s, week.task_of(week.zhang_s, inst).id)
    assert office.node_counts(admin, "leave") == []
    after = datetime.now(timezone.utc) + timedelta(minutes=1)
    times = office.node_times(admin, "leave", before, after)
    assert [(t.node, t.node_name, t.completed) for t in times] == [("head", "部门负责人", 2)]
    assert times[0].p90_seconds >= 0 and times[0].p90_working_minutes >= times[0].avg_working_minutes >= 0
    assert office.node_times(admin, "leave", after, after + timedelta(days=1)) == []
    with pytest.raises(oa.PermissionDeniedError):
        office.node_counts(week.zhang_s, "leave")
    with pytest.raises(oa.NotFoundError):
        office.waiting_at_node(admin, "nope", "head")


def test_running_requests_move_to_the_corrected_process(week: Week) -> None:
    office, admin = week.office, week.admin
    first = week.start("li: one")
    second = week.start("li: two")
    third = week.start("li: three")
    v2 = office.publish_process(admin, key="leave", name="请假审批", form_key="leave",
                                definition=leave_graph(head_name="负责人审批"))
    assert v2.version == 2
    moved = office.migrate_instance(admin, first.id, 2)
    assert (moved.id, moved.process_version, moved.waiting_at) == (first.id, 2, ["head"])
    assert "migrated" in [e.action for e in week.history(first)]

    # A version without the node they wait at refuses them, naming the node.
    office.publish_process(admin, key="leave", name="请假审批", form_key="leave",
                           definition={"nodes": [{"id": "start", "type": "start", "next": "end"},
                                                 {"id": "end", "type": "end"}]})
    with pytest.raises(oa.ValidationError) as refused:
        office.migrate_instance(admin, first.id, 3)
    assert [f.path for f in refused.value.fields] == ["nodes[head]"]
    report = office.migrate_instances(admin, "leave", 1, 3)
    assert report.migrated == []
    assert sorted(r.instance for r in report.refused) == sorted([second.id, third.id])
    assert {r.code for r in report.refused} == {"validation"}
    assert report.refused[0].fields[0].path == "nodes[head]" and report.refused[0].reason

    # The rest of version 1 moves to version 2 together, and runs on there.
    report = office.migrate_instances(admin, "leave", 1, 2)
    assert sorted(report.migrated) == sorted([second.id, third.id]) and report.refused == []
    assert "MigrationReport(" in repr(report)
    assert office.instance(admin, third.id).instance.process_version == 2
    task = week.task_of(week.zhang_s, third)
    assert task.node_name == "负责人审批", "open tasks take the names of the version they moved to"
    assert office.approve(week.zhang_s, task.id).status == "approved"
    with pytest.raises(oa.InvalidStateError):
        office.migrate_instance(admin, third.id, 1)
    with pytest.raises(oa.PermissionDeniedError):
        office.migrate_instance(week.zhang_s, second.id, 1)


def test_a_purchase_application_follows_its_orders_through_the_feed(week: Week) -> None:
    office, admin = week.office, week.admin
    declared = office.declare_business_type(admin, "purchase", "采购单 purchase orders")
    assert (declared.prefix, declared.last_seq, declared.declared_by) == ("purchase", 0, office.whoami(admin).person)
    assert office.business_types(admin) == [declared]

    approved = week.start("li: PO-1", business_key="purchase:PO-2026-001")
    rejected = week.start("li: PO-2", business_key="purchase:PO-2026-002")
    assert approved.business_key == "purchase:PO-2026-001"
    assert office.business_events(admin, "purchase") == [], "nothing has ended yet"
    office.approve(week.zhang_s, week.task_of(week.zhang_s, approved).id)
    office.reject(week.zhang_s, week.task_of(week.zhang_s, rejected).id, "over budget")

    events = office.business_events(admin, "purchase")
    assert [(e.seq, e.business_key, e.instance, e.outcome) for e in events] == [
        (1, "purchase:PO-2026-001", approved.id, "approved"),
        (2, "purchase:PO-2026-002", rejected.id, "rejected"),
    ]
    first = events[0]
    assert (first.initiator, first.initiator_dept, first.process_key) == (week.li.id, week.sales.id, "leave")
    assert_typed([e.outcome for e in events], oa.InstanceStatus)
    # A consumer remembers the last number it handled and asks from there; asking again gives
    # the same events.
    assert office.business_events(admin, "purchase", after_seq=1) == events[1:]
    assert office.business_events(admin, "purchase", after_seq=2) == []
    assert office.business_events(admin, "purchase", limit=1) == events[:1]
    assert [i.id for i in office.instances_of(admin, "purchase:PO-2026-001")] == [approved.id]
    assert office.business_types(admin)[0].last_seq == 2

    redeclared = office.declare_business_type(admin, "purchase", "采购订单")
    assert (redeclared.description, redeclared.last_seq) == ("采购订单", 2)
    # Keys of an undeclared type are refused at start.
    with pytest.raises(oa.ValidationError) as bad:
        week.start("li: contract", business_key="contract:C-1")
    assert bad.value.fields[0].path == "business_key"
    with pytest.raises(oa.PermissionDeniedError):
        office.declare_business_type(week.li_s, "expense")


def test_bad_input_is_refused_naming_the_field(week: Week) -> None:
    office, admin, zhang_s = week.office, week.admin, week.zhang_s
    today = week.today()
    inst = week.start("li: bad input")
    task = week.task_of(zhang_s, inst)

    def field_of(e: pytest.ExceptionInfo[oa.ValidationError]) -> list[str]:
        return [f.path for f in e.value.fields]

    with pytest.raises(oa.ValidationError) as e:
        office.create_delegation(zhang_s, delegate="nope", first_day=today, last_day=today)
    assert field_of(e) == ["delegate"]
    with pytest.raises(oa.ValidationError) as e:
        office.create_delegation(zhang_s, delegate=week.wang.id, first_day=today, last_day=today - timedelta(days=1))
    assert field_of(e) == ["last_day"]
    with pytest.raises(oa.ValidationError) as e:
        office.create_delegation(zhang_s, delegate=week.zhang.id, first_day=today, last_day=today,
                                 process_key="nope")
    assert sorted(field_of(e)) == ["delegate", "process_key"], "every failing field at once"
    # A datetime is also a date in Python, but its time of day would be dropped silently.
    with pytest.raises(TypeError, match="first_day"):
        office.create_delegation(zhang_s, delegate=week.wang.id, first_day=datetime.now(timezone.utc),
                                 last_day=today)
    with pytest.raises(oa.ValidationError) as e:
        office.cancel_delegation(zhang_s, "nope")
    assert field_of(e) == ["id"]
    with pytest.raises(oa.NotFoundError):
        office.cancel_delegation(zhang_s, task.id)  # a well-formed id, of no delegation
    with pytest.raises(oa.ValidationError) as e:
        office.delegate_task(zhang_s, task.id, week.zhang.id)
    assert field_of(e) == ["to"]
    with pytest.raises(oa.ValidationError) as e:
        office.take_back_task(zhang_s, "nope")
    assert field_of(e) == ["task"]
    with pytest.raises(oa.ValidationError) as e:
        office.my_delegations(zhang_s, limit=-1)
    assert field_of(e) == ["limit"]

    with pytest.raises(oa.ValidationError) as e:
        office.reassign_task(admin, task.id, week.wang.id, "")
    assert field_of(e) == ["reason"]
    with pytest.raises(oa.ValidationError) as e:
        office.reassign_task(admin, task.id, "nope", "why")
    assert field_of(e) == ["to"]
    with pytest.raises(oa.ValidationError) as e:
        office.migrate_instance(admin, inst.id, -1)
    assert field_of(e) == ["to_version"]
    with pytest.raises(oa.ValidationError) as e:
        office.migrate_instances(admin, "leave", 1, 1)
    assert field_of(e) == ["to_version"]
    with pytest.raises(oa.ValidationError) as e:
        office.node_times(admin, "leave", datetime(2026, 1, 1), datetime.now(timezone.utc))
    assert field_of(e) == ["from_"]
    now = datetime.now(timezone.utc)
    with pytest.raises(oa.ValidationError) as e:
        office.node_times(admin, "leave", now, now - timedelta(days=1))
    assert field_of(e) == ["to"]
    with pytest.raises(oa.ValidationError) as e:
        office.overdue_tasks(admin, at=datetime(2026, 1, 1))
    assert field_of(e) == ["at"]
    with pytest.raises(oa.ValidationError) as e:
        office.waiting_at_node(admin, "leave", "head", limit=-1)
    assert field_of(e) == ["limit"]
    with pytest.raises(oa.ValidationError) as e:
        office.stuck_instances(admin, cursor="not a cursor")
    assert field_of(e) == ["cursor"]

    with pytest.raises(oa.ValidationError) as e:
        office.declare_business_type(admin, "not a prefix!")
    assert field_of(e) == ["prefix"]
    with pytest.raises(oa.ValidationError) as e:
        office.business_events(admin, "purchase", after_seq=-1)
    assert field_of(e) == ["after_seq"]
    with pytest.raises(oa.ValidationError) as e:
        office.business_events(admin, "purchase", limit=100_000)
    assert field_of(e) == ["limit"]
    with pytest.raises(TypeError):
        office.business_events(admin, "purchase", 3)  # type: ignore[call-arg]

    away = office.create_delegation(zhang_s, delegate=week.wang.id, first_day=today, last_day=today)
    with pytest.raises(oa.ValidationError) as e:
        away.is_active_at(datetime(2026, 1, 1))
    assert field_of(e) == ["at"]
