// Permissions, roles and grants.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Principal, newOffice, throwsOa } from './helpers.mjs';

function office() {
  const ctx = newOffice();
  const { office, s, me } = ctx;
  const sales = office.createDepartment(s, { name: 'Sales', parent: me.dept });
  const hr = office.createDepartment(s, { name: 'HR', parent: me.dept });
  const clerk = office.createPerson(s, { login: 'clerk', name: 'Clerk', dept: sales.id, initialPassword: 'clerk password 1' });
  return { ...ctx, sales, hr, clerk };
}

test('the catalogue and the built-in roles', () => {
  const { office: o, s } = office();
  const perms = o.listPermissions(s);
  const read = perms.find((p) => p.name === 'org.person.read');
  assert.ok(read && read.description && read.category === 'system', JSON.stringify(read));
  const roles = o.listRoles(s);
  const admin = roles.find((r) => r.code === 'admin');
  assert.equal(admin.builtin, true);
  assert.deepEqual(admin.dataScope, { kind: 'all' });
  assert.equal(o.getRole(s, 'admin').code, 'admin');
  throwsOa(() => o.deleteRole(s, 'admin'), 'invalid_state');
  throwsOa(() => o.getRole(s, 'nope'), 'not_found');
});

test('roles: create, update, delete; grants: grant, list, revoke', () => {
  const { office: o, s, me, sales, hr, clerk } = office();
  const role = o.createRole(s, {
    code: 'people_reader',
    name: 'People reader',
    description: 'reads people',
    permissions: ['org.person.read', 'org.dept.read'],
    dataScope: { kind: 'own_dept_and_below' },
  });
  assert.equal(role.builtin, false);
  assert.deepEqual(role.inherits, []);
  const updated = o.updateRole(s, 'people_reader', { name: 'Reader', dataScope: { kind: 'depts', depts: [sales.id] } });
  assert.equal(updated.name, 'Reader');
  assert.deepEqual(updated.dataScope, { kind: 'depts', depts: [sales.id] });
  throwsOa(() => o.createRole(s, { code: 'Bad Code', name: 'x', dataScope: { kind: 'all' }, permissions: ['no.such.perm'] }), 'validation', 'code');
  throwsOa(() => o.updateRole(s, 'people_reader', { permissions: ['no.such.permission'] }), 'validation', 'permissions[0]');

  const grant = o.grantRole(s, { person: clerk.id, role: 'people_reader' });
  assert.equal(grant.person, clerk.id);
  assert.equal(grant.grantedBy, me.person);
  assert.equal(grant.limitToDept, null);
  assert.deepEqual(o.listGrants(s, clerk.id).map((g) => g.id), [grant.id]);
  assert.ok(o.listGrants(s).length >= 2, 'every grant, the administrator\'s too');
  assert.deepEqual(o.effectivePermissions(s, clerk.id), ['org.dept.read', 'org.person.read']);

  throwsOa(() => o.deleteRole(s, 'people_reader'), 'invalid_state');
  o.revokeGrant(s, grant.id);
  assert.deepEqual(o.listGrants(s, clerk.id), []);
  o.deleteRole(s, 'people_reader');
  throwsOa(() => o.getRole(s, 'people_reader'), 'not_found');
  void hr;
});

test('checkPermission and permissionScope follow grants and data scopes', () => {
  const { office: o, s, sales, hr, clerk } = office();
  o.createRole(s, { code: 'reader', name: 'Reader', permissions: ['org.person.read', 'org.dept.read'], dataScope: { kind: 'all' } });
  o.grantRole(s, { person: clerk.id, role: 'reader', limitToDept: sales.id });

  const c = o.signIn('clerk', 'clerk password 1');
  o.changePassword(c, 'clerk password 1', 'clerk password 2');
  assert.equal(o.checkPermission(c, 'org.person.read'), true);
  assert.equal(o.checkPermission(c, 'org.person.read', sales.id), true);
  assert.equal(o.checkPermission(c, 'org.person.read', hr.id), false);
  assert.equal(o.checkPermission(c, 'org.person.create'), false);
  assert.equal(o.checkPermission(c, 'org.person.read', null, clerk.id), false, 'an owner without a department');
  throwsOa(() => o.checkPermission(c, 'no.such.permission'), 'validation', 'permission');

  // The administrator's view of the clerk's rights is the clerk's own.
  assert.equal(o.checkPermissionOf(s, clerk.id, 'org.person.read', sales.id), true);
  assert.equal(o.checkPermissionOf(s, clerk.id, 'org.person.read', hr.id), false);
  assert.equal(o.checkPermissionOf(s, clerk.id, 'org.person.create'), false);
  throwsOa(() => o.checkPermissionOf(s, clerk.id, 'no.such.permission'), 'validation', 'permission');
  throwsOa(() => o.checkPermissionOf(s, 'nobody', 'org.person.read'), 'validation', 'person');
  throwsOa(() => o.checkPermissionOf(c, o.findPersonByLogin(s, 'admin').id, 'org.person.read'), 'permission_denied');

  const scope = o.permissionScope(c, 'org.person.read');
  assert.deepEqual(scope, { all: false, subtrees: [sales.id], depts: [], persons: [], personsWithin: [] });
  assert.equal(o.permissionScope(s, 'org.person.read').all, true);

  // The clerk sees Sales and not HR.
  const e = throwsOa(() => o.getDepartment(c, hr.id), 'permission_denied');
  assert.equal(e.permission, 'org.dept.read');
  assert.equal(o.getDepartment(c, sales.id).name, 'Sales');
  throwsOa(() => o.createDepartment(c, { name: 'Mine', parent: sales.id }), 'permission_denied');
  throwsOa(() => o.effectivePermissions(c, o.findPersonByLogin(s, 'admin').id), 'permission_denied');
});

test('principal: the caller\'s compiled permissions, answered as lookups', () => {
  const { office: o, s, me, sales, hr, clerk } = office();
  o.createRole(s, { code: 'reader', name: 'Reader', permissions: ['org.person.read', 'org.dept.read'], dataScope: { kind: 'own_dept_and_below' } });
  const grant = o.grantRole(s, { person: clerk.id, role: 'reader' });
  const c = o.signIn('clerk', 'clerk password 1');
  throwsOa(() => o.principal(c), 'password_change_required');
  o.changePassword(c, 'clerk password 1', 'clerk password 2');

  const p = o.principal(c);
  assert.ok(p instanceof Principal);
  assert.equal(p.person, clerk.id);
  assert.deepEqual(p.permissions(), ['org.dept.read', 'org.person.read']);
  assert.equal(p.allows('org.person.read'), true);
  assert.equal(p.allows('org.person.create'), false);
  assert.equal(p.allows('no.such.permission'), false, 'a name not in the catalogue is not held');
  assert.equal(p.allowsOn('org.person.read', sales.id), true);
  assert.equal(p.allowsOn('org.person.read', sales.id, clerk.id), true);
  assert.equal(p.allowsOn('org.person.read', hr.id), false);
  assert.equal(p.allowsOn('org.person.read', null, clerk.id), false, 'an owner without a department');
  assert.equal(p.allowsOn('org.person.read'), false, 'neither: only an unrestricted scope');
  // The same answers as the calls it saves.
  for (const dept of [sales.id, hr.id, me.dept]) {
    assert.equal(p.allowsOn('org.person.read', dept), o.checkPermission(c, 'org.person.read', dept), dept);
  }
  assert.deepEqual(p.scope('org.person.read'), o.permissionScope(c, 'org.person.read'));
  assert.deepEqual(p.scope('org.person.read'), { all: false, subtrees: [sales.id], depts: [], persons: [], personsWithin: [] });
  assert.deepEqual(p.scope('org.person.create'), { all: false, subtrees: [], depts: [], persons: [], personsWithin: [] });

  const admin = o.principal(s);
  assert.equal(admin.person, me.person);
  assert.deepEqual([...admin.permissions()].sort(), me.permissions);
  assert.equal(admin.allowsOn('org.person.read'), true);
  assert.equal(admin.scope('org.person.read').all, true);

  // A snapshot: it keeps what held when it was taken; a new one follows the change.
  o.revokeGrant(s, grant.id);
  assert.equal(p.allows('org.person.read'), true);
  assert.deepEqual(o.principal(c).permissions(), []);

  // Wrong arguments are validation errors naming them.
  throwsOa(() => p.allowsOn('org.person.read', 'not an id'), 'validation', 'dept');
  throwsOa(() => p.allowsOn('org.person.read', sales.id, 42), 'validation', 'owner');
  throwsOa(() => p.allows(7), 'validation', 'permission');
  throwsOa(() => p.scope(undefined), 'validation', 'permission');
  throwsOa(() => o.principal(42), 'validation', 'session');
  p.free();
  admin.free();

  o.signOut(c);
  throwsOa(() => o.principal(c), 'unauthenticated');
  o.close();
  throwsOa(() => o.principal(s), 'closed');
});
