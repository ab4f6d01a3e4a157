// Errors across the boundary: every failure is an OaError with a stable code, a wrong type from
// JavaScript is a validation error naming the argument or field, and nothing traps the module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Office, errorCodes, operations, pendingOperations, newOffice, throwsOa } from './helpers.mjs';

const camel = (name) => name.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

const BAD = [undefined, null, 0, -1, 1.5, NaN, Infinity, true, '', 'x', {}, [], [1, 2], 10n, Symbol('s'), () => 1, new Date(0), new Map()];

test('wrong argument types are validation errors naming the argument', () => {
  const { office, s, me } = newOffice();
  throwsOa(() => office.whoami(42), 'validation', 'session');
  throwsOa(() => office.whoami(null), 'validation', 'session');
  throwsOa(() => office.signIn(undefined, 'pw'), 'validation', 'login');
  throwsOa(() => office.signIn('admin', 12345678), 'validation', 'password');
  throwsOa(() => office.getDepartment(s, 42), 'validation', 'id');
  throwsOa(() => office.getDepartment(s, 'not an id'), 'validation', 'id');
  throwsOa(() => office.getPerson(s, undefined), 'validation', 'id');
  throwsOa(() => office.moveDepartment(s, me.dept, 7), 'validation', 'newParent');
  throwsOa(() => office.reorderDepartment(s, me.dept, '3'), 'validation', 'sortOrder');
  throwsOa(() => office.reorderDepartment(s, me.dept, 2 ** 60), 'validation', 'sortOrder');
  throwsOa(() => office.headAbove(s, me.person, -1), 'validation', 'levels');
  throwsOa(() => office.headAbove(s, me.person, 1.5), 'validation', 'levels');
  throwsOa(() => office.getAuditRecord(s, '1'), 'validation', 'seq');
  throwsOa(() => office.checkPermission(s, null), 'validation', 'permission');
  throwsOa(() => office.listGrants(s, 5), 'validation', 'person');
  throwsOa(() => office.transferPerson(s, me.person, me.dept, 5), 'validation', 'position');
});

test('wrong field types, missing fields, null and unknown fields are named', () => {
  const { office, s, me } = newOffice();
  throwsOa(() => office.createDepartment(s, undefined), 'validation', 'input');
  throwsOa(() => office.createDepartment(s, 'Sales'), 'validation', 'input');
  throwsOa(() => office.createDepartment(s, {}), 'validation', 'name');
  throwsOa(() => office.createDepartment(s, { name: null }), 'validation', 'name');
  throwsOa(() => office.createDepartment(s, { name: 5 }), 'validation', 'name');
  throwsOa(() => office.createDepartment(s, { name: 'x', sortOrder: '1' }), 'validation', 'sortOrder');
  throwsOa(() => office.createDepartment(s, { name: 'x', parent: 'nope' }), 'validation', 'parent');
  const typo = throwsOa(() => office.createDepartment(s, { name: 'x', sortorder: 1 }), 'validation', 'sortorder');
  assert.match(typo.fields[0].reason, /not a field/);

  throwsOa(() => office.createPerson(s, { login: 'ab', name: 'A' }), 'validation', 'dept');
  throwsOa(() => office.createPerson(s, { login: 'ab', name: 'A', dept: me.dept, initialPassword: 12345678 }), 'validation', 'initialPassword');
  throwsOa(() => office.updatePerson(s, me.person, { clearSuperior: 'yes' }), 'validation', 'clearSuperior');
  throwsOa(() => office.updatePerson(s, me.person, null), 'validation', 'patch');
  throwsOa(() => office.addPost(s, me.person, { position: 'x' }), 'validation', 'dept');
  throwsOa(() => office.listPeople(s, { status: 'gone' }), 'validation', 'status');
  throwsOa(() => office.listPeople(s, { includeSubtree: 1 }), 'validation', 'includeSubtree');
  throwsOa(() => office.listPeople(s, null, { limit: -1 }), 'validation', 'limit');
  throwsOa(() => office.createRole(s, { code: 'r', name: 'R' }), 'validation', 'dataScope');
  throwsOa(() => office.createRole(s, { code: 'r', name: 'R', dataScope: { kind: 'depts' } }), 'validation', 'dataScope.depts');
  throwsOa(() => office.createRole(s, { code: 'r', name: 'R', dataScope: { kind: 'all' }, permissions: 'org.dept.read' }), 'validation', 'permissions');
  throwsOa(() => office.createRole(s, { code: 'r', name: 'R', dataScope: { kind: 'all' }, permissions: ['org.dept.read', 7] }), 'validation', 'permissions[1]');
  throwsOa(() => office.grantRole(s, { role: 'admin' }), 'validation', 'person');
  throwsOa(() => office.listAudit(s, { from: 12 }), 'validation', 'from');
  throwsOa(() => office.listAudit(s, { actor: 'someone' }), 'validation', 'actor');
  throwsOa(() => office.setParam(s, 'office.name', { text: 'Acme' }), 'validation', 'value');
  throwsOa(
    () => Office.init({ officeName: 'A', adminLogin: 'admin', adminName: 'Admin', adminPassword: 'correct horse battery', securityAdmin: { login: 'x' } }),
    'validation',
    'securityAdmin.name',
  );
  // Nothing above was written.
  assert.equal(office.listDepartments(s).length, 1);
  assert.equal(office.listPeople(s).items.length, 1);
});

test('a call after sign-out or with a forged token is unauthenticated', () => {
  const { office, s } = newOffice();
  office.signOut(s);
  throwsOa(() => office.listDepartments(s), 'unauthenticated');
  throwsOa(() => office.listDepartments(s.slice(0, -2) + 'zz'), 'unauthenticated');
  throwsOa(() => office.listDepartments(''), 'unauthenticated');
});

test('no argument of any type makes an operation throw anything but an OaError', () => {
  const { office, s } = newOffice();
  const codes = new Set(errorCodes());
  // Tried apart below: they end the office or the session the other calls use.
  const skip = new Set(['close', 'init', 'open', 'sign_out']);
  const failures = [];
  const check = (label, fn) => {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof Error) || e.name !== 'OaError' || !codes.has(e.code)) {
        failures.push(`${label}: ${e && e.name}: ${e && e.message}`);
      }
    }
  };
  // Every operation, those the core still lists as pending too.
  const every = [...new Set([...operations(), ...pendingOperations()])];
  for (const op of ['create_delegation', 'delegate_task', 'migrate_instances', 'business_events', 'node_times']) {
    assert.ok(every.includes(op), `${op} is swept`);
  }
  for (const op of every) {
    if (skip.has(op)) continue;
    const name = camel(op);
    if (typeof office[name] !== 'function') continue; // the parity test reports it
    const arity = Math.max(office[name].length, 4);
    for (const bad of BAD) {
      for (let i = 0; i < arity; i++) {
        const args = Array.from({ length: arity }, (_, j) => (j === 0 ? s : undefined));
        args[i] = bad;
        check(`${name} arg ${i} = ${String(typeof bad === 'symbol' ? 'symbol' : bad)}`, () => office[name](...args));
      }
    }
  }
  for (const bad of BAD) {
    check(`signOut(${String(typeof bad === 'symbol' ? 'symbol' : bad)})`, () => office.signOut(bad));
    check(`Office.init(${String(typeof bad === 'symbol' ? 'symbol' : bad)})`, () => Office.init(bad));
    check(`Office.open(${String(typeof bad === 'symbol' ? 'symbol' : bad)})`, () => Office.open(bad));
  }
  assert.deepEqual(failures, []);
  // The module is still sound: the office answers and its chain verifies.
  assert.equal(office.whoami(s).login, 'admin');
  assert.equal(office.verifyAuditChain(s).intact, true);
});
