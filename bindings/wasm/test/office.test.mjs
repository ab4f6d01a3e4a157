// The office itself: init, open (from saved bytes), save, close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Office, ADMIN_PASSWORD, newOffice, throwsOa } from './helpers.mjs';

test('init makes an office with its root department and administrator', () => {
  const { office, s, me } = newOffice('Acme');
  assert.equal(office.backend, 'memory');
  assert.equal(office.closed, false);
  assert.equal(me.login, 'admin');
  assert.equal(me.mustChangePassword, false);
  assert.ok(me.permissions.includes('org.person.create'));
  const depts = office.listDepartments(s);
  assert.deepEqual(depts.map((d) => d.name), ['Acme']);
  assert.equal(depts[0].id, me.dept);
  assert.equal(depts[0].parent, null, 'absent values are null');
  assert.match(depts[0].createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, 'instants are ISO strings');
  assert.match(depts[0].id, /^[0-9A-HJKMNP-TV-Z]{26}$/, 'ids are strings');
});

test('init with separation of duties makes three accounts', () => {
  const office = Office.init({
    officeName: 'Agency',
    adminLogin: 'sysadmin',
    adminName: 'System administrator',
    adminPassword: ADMIN_PASSWORD,
    separationOfDuties: true,
    securityAdmin: { login: 'secadmin', name: 'Security administrator', password: ADMIN_PASSWORD },
    auditor: { login: 'auditor', name: 'Auditor', password: ADMIN_PASSWORD },
  });
  const s = office.signIn('auditor', ADMIN_PASSWORD);
  assert.ok(office.whoami(s).permissions.includes('audit.log.read'));
  assert.equal(office.checkPermission(s, 'org.person.create'), false);
});

test('init reports every failing field in camelCase', () => {
  const e = throwsOa(
    () => Office.init({ officeName: ' ', adminLogin: 'a', adminName: 'Admin', adminPassword: 'short' }),
    'validation',
  );
  assert.deepEqual(e.fields.map((f) => f.path).sort(), ['adminLogin', 'adminPassword', 'officeName']);
  assert.match(e.message, /adminPassword/);
  throwsOa(
    () => Office.init({ officeName: 'A', adminLogin: 'admin', adminName: 'Admin', adminPassword: ADMIN_PASSWORD, separationOfDuties: true }),
    'validation',
    'securityAdmin',
  );
});

test('save and open carry the whole office', () => {
  const { office, s } = newOffice();
  const dept = office.createDepartment(s, { name: 'Sales' });
  const bytes = office.save();
  assert.ok(bytes instanceof Uint8Array && bytes.length > 0);

  const reopened = Office.open(bytes);
  const s2 = reopened.signIn('admin', ADMIN_PASSWORD);
  assert.equal(reopened.getDepartment(s2, dept.id).name, 'Sales');
  assert.equal(reopened.verifyAuditChain(s2).intact, true);
  // The two offices are independent from here on.
  reopened.createDepartment(s2, { name: 'Only in the copy' });
  assert.equal(office.listDepartments(s).length, 2);
  assert.equal(reopened.listDepartments(s2).length, 3);
  // A Node Buffer and an ArrayBuffer are bytes too.
  Office.open(Buffer.from(bytes));
  Office.open(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
});

test('open refuses what is not a saved office', () => {
  throwsOa(() => Office.open(new Uint8Array([1, 2, 3])), 'incompatible_store');
  throwsOa(() => Office.open(new Uint8Array()), 'incompatible_store');
  throwsOa(() => Office.open('not bytes'), 'validation', 'snapshot');
  throwsOa(() => Office.open(undefined), 'validation', 'snapshot');
});

test('a closed office refuses every call', () => {
  const { office, s } = newOffice();
  office.close();
  assert.equal(office.closed, true);
  throwsOa(() => office.whoami(s), 'closed');
  throwsOa(() => office.signIn('admin', ADMIN_PASSWORD), 'closed');
  throwsOa(() => office.createDepartment(s, { name: 'Late' }), 'closed');
  throwsOa(() => office.save(), 'closed');
});
