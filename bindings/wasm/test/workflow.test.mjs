// The approval workflow through the Node build: the leave scenario of the core's own tests
// (a leave form, a DingTalk-style process, requests walking the path their data chooses), then
// every other action of a process and its lists, each once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Office, ADMIN_PASSWORD, operations, pendingOperations, throwsOa } from './helpers.mjs';

/** A person with a password of their own, signed in: `{ person, s }`. */
function person(office, admin, login, dept, superior = null) {
  const p = office.createPerson(admin, { login, name: login, dept, superior, initialPassword: 'first-pass-123' });
  const first = office.signIn(login, 'first-pass-123');
  office.changePassword(first, 'first-pass-123', `${login} own passphrase`);
  return { person: p, s: office.signIn(login, `${login} own passphrase`) };
}

const LEAVE_PROCESS = {
  key: 'leave',
  name: '请假审批',
  formKey: 'leave',
  process: {
    nodeId: 'start',
    type: 'start',
    childNode: {
      nodeId: 'head',
      type: 'approval',
      name: '部门负责人',
      props: { approvers: { strategy: 'dept_head' }, method: 'single' },
      childNode: {
        nodeId: 'length',
        type: 'route',
        conditionNodes: [
          {
            nodeId: 'long',
            condition: 'days > 3',
            childNode: { nodeId: 'hr', type: 'approval', name: '人事', props: { approvers: { strategy: 'role', role: 'hr' }, method: 'any' } },
          },
          { nodeId: 'short', default: true },
        ],
      },
    },
  },
};

/** The leave office: Sales (head zhang, staff li), HR (wang), the form and the process. */
function leaveOffice() {
  const office = Office.init({ officeName: 'Acme', adminLogin: 'admin', adminName: 'Admin', adminPassword: ADMIN_PASSWORD });
  const admin = office.signIn('admin', ADMIN_PASSWORD);
  const root = office.listDepartments(admin)[0].id;
  const sales = office.createDepartment(admin, { name: 'Sales', parent: root });
  const hrDept = office.createDepartment(admin, { name: 'HR', parent: root });
  const zhang = person(office, admin, 'zhang', sales.id);
  const li = person(office, admin, 'li', sales.id, zhang.person.id);
  const wang = person(office, admin, 'wang', hrDept.id);
  office.setDepartmentHead(admin, sales.id, zhang.person.id);
  office.createRole(admin, { code: 'staff', name: 'Staff', permissions: ['workflow.instance.start'], dataScope: { kind: 'self_only' } });
  office.createRole(admin, { code: 'hr', name: 'HR', permissions: [], dataScope: { kind: 'all' } });
  office.grantRole(admin, { person: li.person.id, role: 'staff' });
  office.grantRole(admin, { person: zhang.person.id, role: 'staff' });
  office.grantRole(admin, { person: wang.person.id, role: 'hr' });
  office.defineForm(admin, {
    key: 'leave',
    name: '请假 Leave',
    fields: [
      { key: 'days', label: '天数', type: 'number', required: true, min: '0.5', max: '30' },
      { key: 'reason', label: '事由', type: 'long_text', required: true },
    ],
  });
  const published = office.publishProcessJson(admin, JSON.stringify(LEAVE_PROCESS));
  assert.equal(published.version, 1);
  const start = (title, days) => ({ processKey: 'leave', title, data: { days, reason: 'family' } });
  return { office, admin, sales, hrDept, zhang, li, wang, start };
}

const titles = (page) => page.items.map((t) => t.title).sort();

test('leave requests walk the path their data chooses', () => {
  const { office, admin, zhang, li, wang, start } = leaveOffice();
  const short = office.startProcess(li.s, start('li: 2 days', '2'));
  const long = office.startProcess(li.s, start('li: 5 days', '5'));
  assert.equal(short.status, 'running');
  assert.equal(short.initiator, li.person.id);
  assert.equal(short.data.reason, 'family');
  assert.deepEqual(titles(office.todo(zhang.s)), ['li: 2 days', 'li: 5 days']);
  assert.deepEqual(office.badgeCounts(zhang.s), { todo: 2, ccUnread: 0 });
  for (const task of office.todo(zhang.s, null, { limit: 10 }).items) {
    assert.equal(task.kind, 'approve');
    assert.equal(task.status, 'pending');
    assert.equal(task.node, 'head');
    const after = office.approve(zhang.s, task.id, 'ok');
    assert.equal(after.id, task.instance);
  }
  assert.equal(office.instance(li.s, short.id).instance.status, 'approved');
  assert.equal(office.instance(li.s, long.id).instance.status, 'running');
  assert.deepEqual(titles(office.todo(wang.s)), ['li: 5 days']);

  // Someone who is not the assignee may not act; the assignee may, once.
  const hrTask = office.todo(wang.s).items[0];
  throwsOa(() => office.approve(zhang.s, hrTask.id, 'me too'), 'permission_denied');
  office.approve(wang.s, hrTask.id, 'approved', null);
  throwsOa(() => office.approve(wang.s, hrTask.id, 'again'), 'invalid_state');
  const detail = office.instance(li.s, long.id);
  assert.equal(detail.instance.status, 'approved');
  assert.ok(detail.instance.endedAt);
  assert.deepEqual(detail.tasks.map((t) => [t.node, t.status]), [['head', 'approved'], ['hr', 'approved']]);
  const actions = detail.history.map((h) => h.action);
  assert.equal(actions[0], 'submitted');
  assert.ok(actions.includes('approved') && actions.includes('ended'), actions.join());
  assert.equal(detail.history[0].actor, li.person.id);
  assert.deepEqual(detail.history.map((h) => h.seq), detail.history.map((_, i) => i));
  assert.equal(office.todo(wang.s).items.length, 0);
  assert.equal(office.done(zhang.s).items.length, 2);
  assert.deepEqual(office.done(wang.s).items.map((t) => t.comment), ['approved']);
  assert.deepEqual(titles(office.startedByMe(li.s, { process: 'leave' })), ['li: 2 days', 'li: 5 days']);
  assert.deepEqual(office.badgeCounts(zhang.s), { todo: 0, ccUnread: 0 });

  // Bad data is refused whole, naming the field; someone without the right cannot start.
  throwsOa(() => office.startProcess(li.s, start('bad', '45')), 'validation', 'data.days');
  throwsOa(() => office.startProcess(wang.s, start('wang', '1')), 'permission_denied');
  throwsOa(() => office.startProcess(li.s, { processKey: 'leave', title: 'x', data: {}, bogus: 1 }), 'validation', 'bogus');
  throwsOa(() => office.approve(zhang.s, 'not an id', 'ok'), 'validation', 'task');
  assert.equal(office.startedByMe(li.s).items.length, 2);
  assert.equal(office.verifyAuditChain(admin).intact, true);
});

test('reject, return to the initiator and resubmit, withdraw, transfer', () => {
  const { office, zhang, li, wang, start } = leaveOffice();
  const first = () => office.todo(zhang.s).items[0];

  const rejected = office.startProcess(li.s, start('to reject', '1'));
  assert.equal(office.reject(zhang.s, first().id, 'no').status, 'rejected');
  assert.equal(office.instance(li.s, rejected.id).instance.status, 'rejected');

  const returned = office.startProcess(li.s, start('to return', '1'));
  const back = office.returnTask(zhang.s, first().id, { kind: 'initiator' }, 'say why');
  assert.equal(back.status, 'running');
  assert.equal(back.returned.from, 'head');
  const resubmitTask = office.todo(li.s).items[0];
  assert.equal(resubmitTask.kind, 'resubmit');
  const again = office.resubmit(li.s, returned.id, { days: '1.5', reason: 'family, again' });
  assert.equal(again.returned, null);
  assert.equal(again.data.reason, 'family, again');
  throwsOa(() => office.resubmit(li.s, returned.id, { days: '1' }), 'invalid_state');
  throwsOa(() => office.returnTask(zhang.s, first().id, { kind: 'sideways' }, ''), 'validation', 'kind');
  assert.equal(office.approve(zhang.s, first().id, 'fine now').status, 'approved');

  const withdrawn = office.startProcess(li.s, start('to withdraw', '1'));
  assert.equal(office.withdraw(li.s, withdrawn.id).status, 'withdrawn');
  assert.equal(office.todo(zhang.s).items.length, 0);

  const handed = office.startProcess(li.s, start('to transfer', '1'));
  const moved = office.transfer(zhang.s, first().id, wang.person.id, 'wang knows');
  assert.equal(moved.assignee, wang.person.id);
  assert.equal(moved.status, 'pending');
  assert.deepEqual(titles(office.todo(wang.s)), ['to transfer']);
  assert.equal(office.approve(wang.s, moved.id, 'done').status, 'approved');
  assert.equal(office.instance(li.s, handed.id).instance.status, 'approved');
});

test('a tiny BPMN process imports and runs', () => {
  const { office, admin, zhang, li } = leaveOffice();
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:flowable="http://flowable.org/bpmn"
             targetNamespace="http://www.flowable.org/processdef">
  <process id="leave_bpmn" name="Leave by BPMN">
    <startEvent id="s"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
    <userTask id="t" name="Zhang approves" flowable:assignee="zhang"/>
    <sequenceFlow id="f2" sourceRef="t" targetRef="e"/>
    <endEvent id="e"/>
  </process>
</definitions>`;
  const def = office.importBpmn(admin, xml, 'leave');
  assert.equal(def.key, 'leave_bpmn');
  assert.equal(def.name, 'Leave by BPMN');
  assert.equal(def.formVersion, 1);
  const task = def.graph.nodes.find((n) => n.id === 't');
  assert.equal(task.type, 'approval');
  assert.deepEqual(task.approvers, { strategy: 'people', people: [zhang.person.id] });
  const inst = office.startProcess(li.s, { processKey: 'leave_bpmn', title: 'bpmn', data: { days: '1', reason: 'r' } });
  const t = office.todo(zhang.s, { process: 'leave_bpmn' }).items[0];
  assert.equal(t.nodeName, 'Zhang approves');
  assert.equal(office.approve(zhang.s, t.id, 'ok').status, 'approved');
  assert.equal(office.instance(li.s, inst.id).instance.status, 'approved');
  throwsOa(() => office.importBpmn(admin, '<definitions', 'leave'), 'validation', 'xml');
});

test('every other workflow operation, once', () => {
  const { office, admin, zhang, li, wang, start } = leaveOffice();
  const people = (...ids) => ({ strategy: 'people', people: ids });
  const graph = {
    nodes: [
      { id: 'start', type: 'start', next: 'copy' },
      { id: 'copy', type: 'cc', name: '抄送', next: 'boss', recipients: people(zhang.person.id) },
      { id: 'boss', type: 'approval', name: '审批', next: 'end', approvers: people(zhang.person.id), method: 'single' },
      { id: 'end', type: 'end' },
    ],
  };
  const input = { key: 'trip', name: '出差', category: '人事', formKey: 'leave', definition: graph };
  assert.deepEqual(office.validateProcess(admin, input), []);
  const problems = office.validateProcess(admin, { ...input, definition: { nodes: [{ id: 'start', type: 'start', next: 'nowhere' }] } });
  assert.ok(problems.length > 0 && problems.every((p) => typeof p.path === 'string' && p.reason), JSON.stringify(problems));
  throwsOa(() => office.publishProcess(admin, { ...input, definition: { nodes: 'none' } }), 'validation', 'definition.nodes');
  const v1 = office.publishProcess(admin, input);
  assert.deepEqual([v1.key, v1.version, v1.category, v1.createdBy], ['trip', 1, '人事', office.whoami(admin).person]);
  const v2 = office.publishProcess(admin, { ...input, name: '出差审批' });
  assert.equal(v2.version, 2);
  assert.equal(office.getProcess(admin, 'trip').name, '出差审批');
  assert.equal(office.getProcess(admin, 'trip', 1).name, '出差');
  assert.deepEqual(office.listProcesses(admin).map((p) => p.key), ['leave', 'trip']);
  assert.deepEqual(office.processVersions(admin, 'trip').map((v) => [v.version, v.nodes]), [[1, 4], [2, 4]]);

  // Drafts: saved, saved again, submitted; another saved and deleted.
  const trip = (title) => ({ processKey: 'trip', title, data: { days: '2', reason: 'visit' } });
  const draft = office.saveDraft(li.s, null, trip('draft'));
  assert.equal(draft.status, 'draft');
  assert.equal(office.saveDraft(li.s, draft.id, trip('draft, renamed')).title, 'draft, renamed');
  const submitted = office.submitDraft(li.s, draft.id);
  assert.equal(submitted.status, 'running');
  const scrap = office.saveDraft(li.s, null, trip('scrap'));
  office.deleteDraft(li.s, scrap.id);
  throwsOa(() => office.submitDraft(li.s, scrap.id), 'not_found');

  // The copy, read.
  assert.deepEqual(office.badgeCounts(zhang.s), { todo: 1, ccUnread: 1 });
  const copy = office.ccToMe(zhang.s, null, true).items[0];
  assert.equal(copy.kind, 'cc');
  assert.equal(office.markCcRead(zhang.s, copy.id).status, 'read');
  assert.equal(office.ccToMe(zhang.s, null, true).items.length, 0);
  assert.equal(office.ccToMe(zhang.s, { process: 'trip' }, false, { limit: 5 }).items.length, 1);

  // Comment, urge, add and remove a signer.
  office.comment(li.s, submitted.id, 'please hurry');
  assert.equal(office.urge(li.s, submitted.id), 1);
  const bossTask = office.todo(zhang.s).items[0];
  const signer = office.addSigner(zhang.s, bossTask.id, wang.person.id, 'alongside');
  assert.equal(signer.assignee, wang.person.id);
  assert.equal(signer.addedBy, zhang.person.id);
  throwsOa(() => office.addSigner(zhang.s, bossTask.id, wang.person.id, 'sideways'), 'validation', 'position');
  assert.equal(office.removeSigner(zhang.s, signer.id).status, 'running');
  const detail = office.instance(li.s, submitted.id);
  const actions = detail.history.map((h) => h.action);
  for (const a of ['cc_sent', 'cc_read', 'commented', 'urged', 'signer_added', 'signer_removed']) {
    assert.ok(actions.includes(a), `${a} in ${actions.join()}`);
  }
  assert.equal(detail.history.find((h) => h.action === 'commented').comment, 'please hurry');

  // Business keys, monitoring, jump, terminate, deadlines.
  // No module of this office handles business keys: none can be linked, none is found.
  throwsOa(() => office.saveDraft(li.s, null, { ...trip('linked'), businessKey: 'contract:42' }), 'validation', 'businessKey');
  assert.deepEqual(office.instancesOf(admin, 'contract:42'), []);
  assert.deepEqual(office.instancesAtNode(admin, 'trip', 'boss').items.map((i) => i.id), [submitted.id]);
  const jumped = office.jump(admin, submitted.id, 'boss');
  assert.equal(jumped.status, 'running');
  assert.equal(office.terminate(admin, submitted.id, 'cancelled trip').status, 'terminated');
  assert.equal(office.instancesAtNode(admin, 'trip', 'boss', { limit: 10 }).items.length, 0);
  const report = office.processDue(admin, new Date(Date.now() + 86_400_000 * 30).toISOString());
  assert.deepEqual(report, { reminded: [], escalated: [], autoApproved: [], autoRejected: [], skipped: 0 });
  throwsOa(() => office.processDue(admin, 'tomorrow'), 'validation', 'upTo');
  throwsOa(() => office.terminate(li.s, office.startProcess(li.s, start('x', '1')).id, 'no'), 'permission_denied');
});

test('the workflow operations are listed, each in one list only', () => {
  const pending = pendingOperations();
  for (const n of ['publish_process', 'start_process', 'approve', 'todo', 'instances_at_node']) {
    assert.ok(pending.includes(n) || operations().includes(n), n);
  }
  assert.ok(pending.every((n) => !operations().includes(n)), 'no name in both lists');
});
