// Sign-in, sessions and passwords.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, newOffice, throwsOa } from './helpers.mjs';

function withPerson() {
  const ctx = newOffice();
  const { office, s, me } = ctx;
  const person = office.createPerson(s, { login: 'li.na', name: '李娜', dept: me.dept, initialPassword: 'first password' });
  return { ...ctx, person };
}

test('sign in, whoami and sign out', () => {
  const { office, s, me } = newOffice();
  assert.equal(typeof s, 'string');
  assert.equal(me.name, 'Admin');
  assert.ok(Array.isArray(me.permissions));
  assert.equal(typeof me.sessionExpiresAt, 'string');
  office.signOut(s);
  throwsOa(() => office.whoami(s), 'unauthenticated');
  throwsOa(() => office.signOut(s), 'unauthenticated');
});

test('a wrong password or an unknown login is unauthenticated', () => {
  const { office } = newOffice();
  throwsOa(() => office.signIn('admin', 'wrong password'), 'unauthenticated');
  throwsOa(() => office.signIn('nobody', 'wrong password'), 'unauthenticated');
  throwsOa(() => office.whoami('not a token'), 'unauthenticated');
});

test('repeated failures lock the login', () => {
  const { office, s } = newOffice();
  office.setParam(s, 'auth.lockout.threshold', 2);
  throwsOa(() => office.signIn('admin', 'wrong 1 password'), 'unauthenticated');
  // The failure that reaches the threshold locks the login; then even the right password waits.
  const e = throwsOa(() => office.signIn('admin', 'wrong 2 password'), 'account_locked');
  assert.match(e.until, /^\d{4}-/);
  throwsOa(() => office.signIn('admin', ADMIN_PASSWORD), 'account_locked');
});

test('an initial password must be changed first', () => {
  const { office, person } = withPerson();
  const s = office.signIn('li.na', 'first password');
  assert.equal(office.whoami(s).mustChangePassword, true);
  throwsOa(() => office.listDepartments(s), 'password_change_required');
  throwsOa(() => office.changePassword(s, 'not the password', 'my own password'), 'validation', 'oldPassword');
  throwsOa(() => office.changePassword(s, 'first password', 'short'), 'validation', 'newPassword');
  office.changePassword(s, 'first password', 'my own password');
  const me = office.whoami(s);
  assert.equal(me.mustChangePassword, false);
  assert.equal(me.person, person.id);
  // Without a role she may do nothing else yet.
  const e = throwsOa(() => office.listDepartments(s), 'permission_denied');
  assert.equal(e.permission, 'org.dept.read');
});

test('an administrator resets a password and manages sessions', () => {
  const { office, s, me, person } = withPerson();
  office.resetPassword(s, person.id, 'reset password 1');
  const s1 = office.signIn('li.na', 'reset password 1');
  const s2 = office.signIn('li.na', 'reset password 1');
  assert.equal(office.whoami(s1).mustChangePassword, true);

  const sessions = office.listSessions(s, person.id);
  assert.equal(sessions.length, 2);
  assert.ok(sessions.every((x) => x.person === person.id && x.current === false));
  const mine = office.listSessions(s, me.person);
  assert.equal(mine.filter((x) => x.current).length, 1);

  office.revokeSession(s, sessions[0].id);
  assert.equal(office.listSessions(s, person.id).length, 1);
  assert.equal(office.revokeSessionsOf(s, person.id), 1);
  throwsOa(() => office.whoami(s1), 'unauthenticated');
  throwsOa(() => office.whoami(s2), 'unauthenticated');
  throwsOa(() => office.resetPassword(s, person.id, 'short'), 'validation');
  throwsOa(() => office.revokeSession(s, 'not-an-id'), 'validation', 'sessionId');
});
