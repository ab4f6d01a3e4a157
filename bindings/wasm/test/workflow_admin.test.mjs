// A day at the office through the Node build: zhang, head of Sales, goes away and his deputy
// wang approves for him; zhang hands a request to wang to look into and gets it back; a
// deadline passes; an approver is disabled and an administrator reassigns his task; the
// process is corrected and the requests under way move to the new version; the purchasing
// application follows how its orders' approvals ended through the business event feed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Office, ADMIN_PASSWORD, throwsOa } from './helpers.mjs';

/** A person with a password of their own, signed in: `{ person, s }`. */
function person(office, admin, login, dept, superior = null) {
  const p = office.createPerson(admin, { login, name: login, dept, superior, initialPassword: 'first-pass-123' });
  const first = office.signIn(login, 'first-pass-123');
  office.changePassword(first, 'first-pass-123', `${login} own passphrase`);
  return { person: p, s: office.signIn(login, `${login} own passphrase`) };
}

const DAY = 86_400_000;
/**
 * The calendar day `days` from today in UTC, `YYYY-MM-DD`. Delegations count days in the
 * office's time zone (UTC+8 by default), where today may already be tomorrow in UTC: a
 * delegation here ends tomorrow at the earliest.
 */
const day = (days) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
/** The instant `ms` from now. */
const inMs = (ms) => new Date(Date.now() + ms).toISOString();

/** start → head (zhang, with `extra` settings) → end, over the leave form. */
function graph(zhang, extra = {}, headId = 'head') {
  return {
    nodes: [
      { id: 'start', type: 'start', next: headId },
      {
        id: headId,
        type: 'approval',
        name: '部门负责人',
        next: 'end',
        approvers: { strategy: 'people', people: [zhang] },
        method: 'single',
        ...extra,
      },
      { id: 'end', type: 'end' },
    ],
  };
}

/**
 * The office: Sales with its head zhang, li who asks for leave, wang his deputy and chen in
 * HR; the leave form and the `leave` process, zhang approving.
 */
function salesOffice() {
  const office = Office.init({ officeName: 'Acme', adminLogin: 'admin', adminName: 'Admin', adminPassword: ADMIN_PASSWORD });
  const admin = office.signIn('admin', ADMIN_PASSWORD);
  const root = office.listDepartments(admin)[0].id;
  const sales = office.createDepartment(admin, { name: 'Sales', parent: root });
  const zhang = person(office, admin, 'zhang', sales.id);
  const li = person(office, admin, 'li', sales.id, zhang.person.id);
  const wang = person(office, admin, 'wang', sales.id, zhang.person.id);
  const chen = person(office, admin, 'chen', sales.id);
  office.createRole(admin, { code: 'staff', name: 'Staff', permissions: ['workflow.instance.start'], dataScope: { kind: 'self_only' } });
  for (const p of [li, wang, zhang]) office.grantRole(admin, { person: p.person.id, role: 'staff' });
  office.defineForm(admin, {
    key: 'leave',
    name: '请假 Leave',
    fields: [
      { key: 'days', label: '天数', type: 'number', required: true, min: '0.5', max: '30' },
      { key: 'reason', label: '事由', type: 'long_text', required: true },
    ],
  });
  const publish = (key, extra, headId) =>
    office.publishProcess(admin, { key, name: `${key} 审批`, formKey: 'leave', definition: graph(zhang.person.id, extra, headId) });
  publish('leave');
  const ask = (title, key = 'leave', businessKey = null) =>
    office.startProcess(li.s, { processKey: key, title, data: { days: '2', reason: 'family' }, businessKey });
  return { office, admin, sales, zhang, li, wang, chen, publish, ask };
}

/** The one pending task of `who` for instance `inst`. */
function taskOf(office, who, inst) {
  const tasks = office.todo(who.s).items.filter((t) => t.instance === inst.id);
  assert.equal(tasks.length, 1, JSON.stringify(tasks));
  return tasks[0];
}

const actions = (office, s, inst) => office.instance(s, inst.id).history.map((h) => h.action);

test('while zhang is away his approvals go to wang, who approves them on his behalf', () => {
  const { office, admin, zhang, li, wang, ask } = salesOffice();
  const away = office.createDelegation(zhang.s, {
    delegate: wang.person.id,
    processKey: 'leave',
    firstDay: day(-1),
    lastDay: day(7),
    reason: '出差',
  });
  assert.equal(away.owner, zhang.person.id);
  assert.equal(away.delegate, wang.person.id);
  assert.equal(away.processKey, 'leave');
  assert.deepEqual([away.firstDay, away.lastDay, away.reason], [day(-1), day(7), '出差']);
  assert.equal(away.createdBy, zhang.person.id);
  assert.equal(away.cancelledAt, null);
  assert.ok(Date.parse(away.startsAt) < Date.now() && Date.now() < Date.parse(away.endsAt));

  const request = ask('li: 2 days');
  assert.equal(office.todo(zhang.s).items.length, 0, 'nothing waits for zhang');
  const forWang = taskOf(office, wang, request);
  assert.equal(forWang.onBehalfOf, zhang.person.id);
  assert.equal(forWang.delegatedFrom, null);
  assert.deepEqual(office.tasksOnMyBehalf(zhang.s).items.map((t) => t.id), [forWang.id]);
  assert.ok(actions(office, li.s, request).includes('redirected'));

  // Each side sees the delegation; the administrator sees every one.
  assert.deepEqual(office.myDelegations(zhang.s).items.map((d) => d.id), [away.id]);
  assert.deepEqual(office.delegationsToMe(wang.s, { limit: 5 }).items.map((d) => d.id), [away.id]);
  assert.deepEqual(office.myDelegations(wang.s).items, []);
  assert.deepEqual(office.allDelegations(admin).items.map((d) => d.id), [away.id]);
  throwsOa(() => office.allDelegations(li.s), 'permission_denied');

  // wang approves for zhang; zhang finds it among the tasks done on his behalf.
  assert.equal(office.approve(wang.s, forWang.id, 'ok for zhang').status, 'approved');
  const onBehalf = office.tasksOnMyBehalf(zhang.s, { process: 'leave' }, { limit: 10 }).items;
  assert.deepEqual(onBehalf.map((t) => [t.id, t.status]), [[forWang.id, 'approved']]);

  // A second delegation for the same days and process is refused; once cancelled, tasks go to
  // zhang again.
  throwsOa(
    () => office.createDelegation(zhang.s, { delegate: li.person.id, processKey: 'leave', firstDay: day(0), lastDay: day(1) }),
    'validation',
    'firstDay',
  );
  const cancelled = office.cancelDelegation(zhang.s, away.id);
  assert.equal(cancelled.cancelledBy, zhang.person.id);
  assert.ok(cancelled.cancelledAt);
  throwsOa(() => office.cancelDelegation(wang.s, away.id), 'permission_denied');
  const later = ask('li: back again');
  assert.equal(taskOf(office, zhang, later).onBehalfOf, null);
  assert.equal(office.todo(wang.s).items.length, 0);

  // An administrator sets one for someone else.
  const forLi = office.createDelegation(admin, { owner: li.person.id, delegate: wang.person.id, firstDay: day(1), lastDay: day(1) });
  assert.deepEqual([forLi.owner, forLi.processKey, forLi.reason], [li.person.id, null, '']);
  assert.equal(office.verifyAuditChain(admin).intact, true);
});

test('zhang hands a request to wang to look into, and wang gives it back resolved', () => {
  const { office, zhang, li, wang, ask } = salesOffice();
  const request = ask('li: 2 days');
  const mine = taskOf(office, zhang, request);
  const handed = office.delegateTask(zhang.s, mine.id, wang.person.id, 'please check the dates');
  assert.equal(handed.assignee, wang.person.id);
  assert.equal(handed.delegatedFrom, mine.id);
  assert.equal(handed.status, 'pending');
  const waiting = office.instance(zhang.s, request.id).tasks.find((t) => t.id === mine.id);
  assert.equal(waiting.status, 'delegated');
  assert.deepEqual(office.todo(zhang.s).items.map((t) => [t.id, t.status]), [[mine.id, 'delegated']]);
  assert.deepEqual(office.badgeCounts(zhang.s), { todo: 0, ccUnread: 0 });

  // The seat stays zhang's: wang can only resolve it.
  throwsOa(() => office.reject(wang.s, handed.id, 'no'), 'invalid_state');
  throwsOa(() => office.transfer(wang.s, handed.id, li.person.id, ''), 'invalid_state');
  throwsOa(() => office.approve(zhang.s, mine.id, 'ok'), 'invalid_state');

  assert.equal(office.approve(wang.s, handed.id, 'dates are fine').status, 'running');
  const detail = office.instance(zhang.s, request.id);
  assert.equal(detail.tasks.find((t) => t.id === handed.id).status, 'resolved');
  assert.equal(detail.tasks.find((t) => t.id === mine.id).status, 'pending');
  for (const a of ['delegated', 'resolved']) assert.ok(detail.history.some((h) => h.action === a), a);
  assert.equal(office.approve(zhang.s, mine.id, 'approved').status, 'approved');
});

test('zhang hands a request to wang and takes it back before wang deals with it', () => {
  const { office, zhang, li, wang, ask } = salesOffice();
  const request = ask('li: 2 days');
  const mine = taskOf(office, zhang, request);
  const handed = office.delegateTask(zhang.s, mine.id, wang.person.id, '');
  throwsOa(() => office.takeBackTask(wang.s, mine.id), 'permission_denied');
  const back = office.takeBackTask(zhang.s, mine.id);
  assert.deepEqual([back.id, back.status], [mine.id, 'pending']);
  assert.equal(office.todo(wang.s).items.length, 0);
  throwsOa(() => office.approve(wang.s, handed.id, 'too late'), 'invalid_state');
  throwsOa(() => office.takeBackTask(zhang.s, mine.id), 'invalid_state');
  assert.ok(actions(office, li.s, request).includes('taken_back'));
  assert.equal(office.approve(zhang.s, mine.id, 'ok').status, 'approved');
});

test('a request past its deadline is overdue, and reminders do not move the deadline', () => {
  const { office, admin, zhang, publish, ask } = salesOffice();
  publish('urgent', { deadline: { after: { amount: 1, unit: 'hours' }, action: 'remind' } });
  const request = ask('li: urgent', 'urgent');
  const task = taskOf(office, zhang, request);
  assert.ok(task.deadlineAt, 'the node set a deadline');
  assert.equal(task.dueAt, task.deadlineAt);

  // Not overdue now; overdue at its deadline and after.
  assert.deepEqual(office.overdueTasks(admin).items, []);
  const atDeadline = office.overdueTasks(admin, 'urgent', task.deadlineAt).items;
  assert.deepEqual(atDeadline.map((o) => [o.task.id, o.overdueSeconds]), [[task.id, 0]]);
  const later = inMs(60 * DAY);
  const overdue = office.overdueTasks(admin, null, later, { limit: 10 }).items;
  assert.equal(overdue.length, 1);
  assert.equal(overdue[0].task.id, task.id);
  assert.ok(overdue[0].overdueSeconds > 50 * 86_400, String(overdue[0].overdueSeconds));
  assert.ok(overdue[0].overdueWorkingMinutes > 0);

  // The deadline reminds zhang; the deadline itself stays where the node set it.
  const report = office.processDue(admin, later);
  assert.deepEqual(report.reminded, [task.id]);
  const reminded = office.instance(admin, request.id).tasks.find((t) => t.id === task.id);
  assert.equal(reminded.reminders, 1);
  assert.equal(reminded.deadlineAt, task.deadlineAt);
  assert.deepEqual(office.overdueTasks(admin, 'urgent', later).items.map((o) => o.task.id), [task.id]);
  throwsOa(() => office.overdueTasks(admin, 'nope'), 'not_found');
  throwsOa(() => office.overdueTasks(zhang.s), 'permission_denied');
});

test('a request stuck with a disabled approver is found and reassigned', () => {
  const { office, admin, zhang, li, wang, ask } = salesOffice();
  const request = ask('li: 2 days');
  const task = taskOf(office, zhang, request);
  assert.deepEqual(office.stuckInstances(admin).items, []);
  office.disablePerson(admin, zhang.person.id);

  const stuck = office.stuckInstances(admin, 'leave', { limit: 10 });
  assert.equal(stuck.nextCursor, null);
  assert.equal(stuck.items.length, 1);
  const [s] = stuck.items;
  assert.deepEqual([s.instance, s.node, s.reason, s.processKey, s.processVersion], [request.id, 'head', 'no_active_assignee', 'leave', 1]);
  assert.deepEqual(s.assignees, [zhang.person.id]);
  assert.equal(s.initiator, li.person.id);

  throwsOa(() => office.reassignTask(admin, task.id, wang.person.id, ''), 'validation', 'reason');
  throwsOa(() => office.reassignTask(li.s, task.id, wang.person.id, 'zhang is away'), 'permission_denied');
  const moved = office.reassignTask(admin, task.id, wang.person.id, 'zhang is on leave');
  assert.equal(moved.assignee, wang.person.id);
  assert.equal(moved.status, 'pending');
  assert.equal(moved.seat, task.seat);
  const old = office.instance(admin, request.id).tasks.find((t) => t.id === task.id);
  assert.deepEqual([old.status, old.auto], ['transferred', true]);
  assert.ok(actions(office, admin, request).includes('reassigned'));
  assert.deepEqual(office.stuckInstances(admin).items, []);
  throwsOa(() => office.reassignTask(admin, task.id, li.person.id, 'again'), 'invalid_state');
  assert.equal(office.approve(wang.s, moved.id, 'ok').status, 'approved');
});

test('a reviewer who leaves before their turn is replaced in the in-turn queue', () => {
  const { office, admin, zhang, li, wang, chen, publish, ask } = salesOffice();
  // zhang, then chen, then wang, one after another (依次).
  publish('turns', { method: 'in_turn', approvers: { strategy: 'people', people: [zhang.person.id, chen.person.id, wang.person.id] } });
  const request = ask('li: three reviewers', 'turns');
  assert.deepEqual(request.tokens[0].inTurn, [chen.person.id, wang.person.id]);
  office.disablePerson(admin, chen.person.id);
  // The monitor lists it: it still moves, but will stop at chen's turn.
  const stuck = office.stuckInstances(admin, 'turns').items;
  assert.deepEqual(stuck.map((s) => [s.instance, s.node, s.reason, s.assignees]), [[request.id, 'head', 'inactive_in_queue', [chen.person.id]]]);

  throwsOa(() => office.reassignTurn(admin, request.id, zhang.person.id, li.person.id, 'zhang holds a task'), 'validation', 'from');
  throwsOa(() => office.reassignTurn(admin, request.id, chen.person.id, wang.person.id, 'wang waits already'), 'validation', 'to');
  throwsOa(() => office.reassignTurn(admin, request.id, chen.person.id, li.person.id, ''), 'validation', 'reason');
  throwsOa(() => office.reassignTurn(admin, request.id, 'nope', li.person.id, 'x'), 'validation', 'from');
  throwsOa(() => office.reassignTurn(li.s, request.id, chen.person.id, li.person.id, 'not mine'), 'permission_denied');
  const moved = office.reassignTurn(admin, request.id, chen.person.id, li.person.id, 'chen left the company');
  assert.deepEqual(moved.tokens[0].inTurn, [li.person.id, wang.person.id]);
  assert.deepEqual(office.stuckInstances(admin).items, []);
  assert.ok(actions(office, admin, request).includes('reassigned'));

  office.approve(zhang.s, taskOf(office, zhang, request).id, 'ok');
  office.approve(li.s, taskOf(office, li, request).id, 'ok');
  assert.equal(office.approve(wang.s, taskOf(office, wang, request).id, 'ok').status, 'approved');
  throwsOa(() => office.reassignTurn(admin, request.id, wang.person.id, li.person.id, 'too late'), 'invalid_state');
});

test('where requests wait, and how long each node took', () => {
  const { office, admin, zhang, ask } = salesOffice();
  const since = inMs(-3_600_000);
  const first = ask('li: first');
  const second = ask('li: second');
  const counts = office.nodeCounts(admin, 'leave');
  assert.equal(counts.length, 1);
  assert.deepEqual([counts[0].node, counts[0].waiting], ['head', 2]);
  assert.equal(counts[0].oldestEnteredAt, first.tokens[0].enteredAt);

  const waits = office.waitingAtNode(admin, 'leave', 'head');
  assert.deepEqual(waits.items.map((w) => w.instance), [first.id, second.id], 'longest waiting first');
  assert.deepEqual(waits.items[0].assignees, [zhang.person.id]);
  assert.equal(waits.items[0].processVersion, 1);
  assert.equal(typeof waits.items[0].waitedSeconds, 'number');
  assert.equal(typeof waits.items[0].waitedWorkingMinutes, 'number');
  const one = office.waitingAtNode(admin, 'leave', 'head', { limit: 1 });
  assert.ok(one.nextCursor);
  const two = office.waitingAtNode(admin, 'leave', 'head', { cursor: one.nextCursor, limit: 1 });
  assert.deepEqual(two.items.map((w) => w.instance), [second.id]);

  office.approve(zhang.s, taskOf(office, zhang, first).id, 'ok');
  assert.deepEqual(office.nodeCounts(admin, 'leave').map((c) => [c.node, c.waiting]), [['head', 1]]);
  const times = office.nodeTimes(admin, 'leave', since, inMs(3_600_000));
  assert.equal(times.length, 1);
  assert.deepEqual([times[0].node, times[0].nodeName, times[0].completed], ['head', '部门负责人', 1]);
  assert.ok(times[0].p90Seconds >= times[0].avgSeconds - 1);
  assert.deepEqual(office.nodeTimes(admin, 'leave', inMs(-2 * DAY), inMs(-DAY)), []);
  throwsOa(() => office.nodeCounts(admin, 'nope'), 'not_found');
  throwsOa(() => office.nodeCounts(zhang.s, 'leave'), 'permission_denied');
  throwsOa(() => office.nodeTimes(admin, 'leave', 'yesterday', inMs(0)), 'validation', 'from');
});

test('a corrected process takes over the requests under way', () => {
  const { office, admin, zhang, li, publish, ask } = salesOffice();
  const one = ask('li: one');
  const two = ask('li: two');
  const three = ask('li: three');
  assert.equal(publish('leave', { name: '销售部负责人' }).version, 2);

  const moved = office.migrateInstance(admin, one.id, 2);
  assert.equal(moved.processVersion, 2);
  assert.ok(actions(office, li.s, one).includes('migrated'));
  throwsOa(() => office.migrateInstance(admin, one.id, 2), 'validation', 'toVersion');
  throwsOa(() => office.migrateInstance(li.s, two.id, 2), 'permission_denied');

  const report = office.migrateInstances(admin, 'leave', 1, 2);
  assert.deepEqual(report.migrated.slice().sort(), [two.id, three.id].sort());
  assert.deepEqual(report.refused, []);
  assert.equal(office.instance(li.s, two.id).instance.processVersion, 2);

  // Version 3 has no node `head`: requests waiting there cannot follow it.
  assert.equal(publish('leave', {}, 'boss').version, 3);
  throwsOa(() => office.migrateInstance(admin, one.id, 3), 'validation', 'nodes[head]');
  const refused = office.migrateInstances(admin, 'leave', 2, 3);
  assert.deepEqual(refused.migrated, []);
  assert.equal(refused.refused.length, 3);
  for (const r of refused.refused) {
    assert.equal(r.code, 'validation');
    assert.ok(r.reason);
    assert.deepEqual(r.fields.map((f) => f.path), ['nodes[head]']);
  }
  throwsOa(() => office.migrateInstances(admin, 'leave', 2, 2), 'validation', 'toVersion');
  throwsOa(() => office.migrateInstances(admin, 'nope', 1, 2), 'not_found');
  // The instances still run on version 2, at node head.
  assert.equal(office.approve(zhang.s, taskOf(office, zhang, one).id, 'ok').status, 'approved');
});

test('the purchasing application follows its orders through the business event feed', () => {
  const { office, admin, zhang, li, ask } = salesOffice();
  throwsOa(() => ask('PO-1', 'leave', 'purchase:PO-1'), 'validation', 'businessKey');
  const type = office.declareBusinessType(admin, 'purchase', 'Purchase orders');
  assert.deepEqual([type.prefix, type.description, type.lastSeq], ['purchase', 'Purchase orders', 0]);
  assert.equal(office.declareBusinessType(admin, 'purchase', '采购订单').description, '采购订单');
  assert.deepEqual(office.businessTypes(admin).map((t) => t.prefix), ['purchase']);
  assert.deepEqual(office.businessEvents(admin, 'purchase'), []);

  const po1 = ask('PO-1', 'leave', 'purchase:PO-1');
  assert.equal(po1.businessKey, 'purchase:PO-1');
  office.approve(zhang.s, taskOf(office, zhang, po1).id, 'buy it');
  const po2 = ask('PO-2', 'leave', 'purchase:PO-2');
  office.reject(zhang.s, taskOf(office, zhang, po2).id, 'too dear');
  const po3 = ask('PO-3', 'leave', 'purchase:PO-3');
  office.withdraw(li.s, po3.id);

  const feed = office.businessEvents(admin, 'purchase');
  assert.deepEqual(
    feed.map((e) => [e.seq, e.businessKey, e.instance, e.outcome]),
    [
      [1, 'purchase:PO-1', po1.id, 'approved'],
      [2, 'purchase:PO-2', po2.id, 'rejected'],
      [3, 'purchase:PO-3', po3.id, 'withdrawn'],
    ],
  );
  assert.equal(feed[0].processKey, 'leave');
  assert.equal(feed[0].initiator, li.person.id);
  assert.equal(feed[0].initiatorDept, li.person.dept);
  // The application handled the first event; it reads on from there, a page at a time.
  assert.deepEqual(office.businessEvents(admin, 'purchase', 1).map((e) => e.seq), [2, 3]);
  assert.deepEqual(office.businessEvents(admin, 'purchase', 1, 1).map((e) => e.seq), [2]);
  assert.deepEqual(office.businessEvents(admin, 'purchase', 3), []);
  assert.equal(office.businessTypes(admin)[0].lastSeq, 3);
  assert.deepEqual(office.instancesOf(admin, 'purchase:PO-2').map((i) => i.id), [po2.id]);

  throwsOa(() => office.declareBusinessType(li.s, 'sales', ''), 'permission_denied');
  throwsOa(() => office.declareBusinessType(admin, 'not ok!', ''), 'validation', 'prefix');
  throwsOa(() => office.declareBusinessType(admin, 'po', 'x'.repeat(201)), 'validation', 'description');
  throwsOa(() => office.businessEvents(admin, 'purchase', 0, 5000), 'validation', 'limit');
});

test('bad input to the new operations is a validation error naming the field', () => {
  const { office, admin, zhang, wang } = salesOffice();
  const d = (over) => ({ delegate: wang.person.id, firstDay: day(0), lastDay: day(1), ...over });
  throwsOa(() => office.createDelegation(zhang.s, undefined), 'validation', 'input');
  throwsOa(() => office.createDelegation(zhang.s, {}), 'validation', 'delegate');
  throwsOa(() => office.createDelegation(zhang.s, d({ delegate: 'nope' })), 'validation', 'delegate');
  throwsOa(() => office.createDelegation(zhang.s, d({ delegate: zhang.person.id })), 'validation', 'delegate');
  throwsOa(() => office.createDelegation(zhang.s, d({ firstDay: 'monday' })), 'validation', 'firstDay');
  throwsOa(() => office.createDelegation(zhang.s, d({ lastDay: 20260101 })), 'validation', 'lastDay');
  throwsOa(() => office.createDelegation(zhang.s, d({ firstDay: day(3), lastDay: day(2) })), 'validation', 'lastDay');
  throwsOa(() => office.createDelegation(zhang.s, d({ firstDay: day(-9), lastDay: day(-8) })), 'validation', 'lastDay');
  throwsOa(() => office.createDelegation(zhang.s, d({ processKey: 'nope' })), 'validation', 'processKey');
  throwsOa(() => office.createDelegation(zhang.s, d({ reason: 'x'.repeat(201) })), 'validation', 'reason');
  throwsOa(() => office.createDelegation(zhang.s, d({ until: day(3) })), 'validation', 'until');
  // Every failing field at once.
  const all = throwsOa(() => office.createDelegation(zhang.s, d({ delegate: zhang.person.id, processKey: 'nope' })), 'validation');
  assert.deepEqual(all.fields.map((f) => f.path).sort(), ['delegate', 'processKey']);

  throwsOa(() => office.cancelDelegation(zhang.s, 42), 'validation', 'id');
  throwsOa(() => office.myDelegations(zhang.s, { limit: -1 }), 'validation', 'limit');
  throwsOa(() => office.tasksOnMyBehalf(zhang.s, { from: 'today' }), 'validation', 'from');
  throwsOa(() => office.delegateTask(zhang.s, 'not an id', wang.person.id, ''), 'validation', 'task');
  throwsOa(() => office.delegateTask(zhang.s, wang.person.id, 7, ''), 'validation', 'to');
  throwsOa(() => office.takeBackTask(zhang.s, null), 'validation', 'task');
  throwsOa(() => office.reassignTask(admin, wang.person.id, wang.person.id, 5), 'validation', 'reason');
  throwsOa(() => office.migrateInstance(admin, wang.person.id, 1.5), 'validation', 'toVersion');
  throwsOa(() => office.migrateInstances(admin, 'leave', -1, 2), 'validation', 'fromVersion');
  throwsOa(() => office.nodeCounts(admin, null), 'validation', 'process');
  throwsOa(() => office.waitingAtNode(admin, 'leave', 5), 'validation', 'node');
  throwsOa(() => office.overdueTasks(admin, 5), 'validation', 'process');
  throwsOa(() => office.overdueTasks(admin, null, 'soon'), 'validation', 'at');
  throwsOa(() => office.stuckInstances(admin, null, { cursor: 5 }), 'validation', 'cursor');
  throwsOa(() => office.nodeTimes(admin, 'leave', inMs(0), null), 'validation', 'to');
  throwsOa(() => office.declareBusinessType(admin, 'po', null), 'validation', 'description');
  throwsOa(() => office.businessEvents(admin, 'purchase', -1), 'validation', 'afterSeq');
  throwsOa(() => office.businessEvents(admin, 'purchase', 2 ** 60), 'validation', 'afterSeq');
  throwsOa(() => office.businessEvents(admin, 'purchase', 0, 'all'), 'validation', 'limit');
  // Nothing above was written.
  assert.deepEqual(office.myDelegations(zhang.s).items, []);
  assert.deepEqual(office.businessTypes(admin), []);
});
