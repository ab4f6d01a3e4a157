// One office from start to finish: set up the organisation, sign in as different people, grant
// roles, check permissions, read the audit log and verify its chain, save and reopen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Office, ADMIN_PASSWORD, throwsOa } from './helpers.mjs';

test('an office scenario', () => {
  const office = Office.init({ officeName: '示例集团', adminLogin: 'admin', adminName: 'Admin', adminPassword: ADMIN_PASSWORD });
  const admin = office.signIn('admin', ADMIN_PASSWORD);
  const root = office.whoami(admin).dept;

  // The organisation: two departments from CSV, one by hand.
  office.importOrgCsv(
    admin,
    'code,name,parent_code\nsales,销售部,\nsales_east,华东区,sales\n',
    'login,name,dept_code,superior_login,password\nmanager,王经理,sales,,manager password 1\nrep,李代表,sales_east,manager,rep password 1\n',
  );
  const finance = office.createDepartment(admin, { name: '财务部', parent: root, code: 'finance' });
  const accountant = office.createPerson(admin, { login: 'accountant', name: '赵会计', dept: finance.id, initialPassword: 'accountant pw 1' });
  const sales = office.listDepartments(admin).find((d) => d.code === 'sales');
  const manager = office.findPersonByLogin(admin, 'manager');
  const rep = office.findPersonByLogin(admin, 'rep');
  office.setDepartmentHead(admin, sales.id, manager.id);
  assert.equal(office.headAbove(admin, rep.id, 1).id, manager.id);
  assert.deepEqual(office.superiorsOf(admin, rep.id).map((p) => p.login), ['manager']);

  // Roles: the manager manages the people of Sales and below; the accountant reads everyone.
  office.createRole(admin, {
    code: 'dept_manager',
    name: '部门经理',
    permissions: ['org.person.read', 'org.person.update', 'org.dept.read'],
    dataScope: { kind: 'own_dept_and_below' },
  });
  office.createRole(admin, { code: 'reader', name: '只读', permissions: ['org.person.read', 'org.dept.read'], dataScope: { kind: 'all' } });
  office.grantRole(admin, { person: manager.id, role: 'dept_manager' });
  office.grantRole(admin, { person: accountant.id, role: 'reader' });

  // The manager signs in, changes the first password and works inside Sales only.
  let m = office.signIn('manager', 'manager password 1');
  throwsOa(() => office.getPerson(m, rep.id), 'password_change_required');
  office.changePassword(m, 'manager password 1', 'manager password 2');
  m = office.signIn('manager', 'manager password 2');
  assert.equal(office.updatePerson(m, rep.id, { position: '高级代表' }).position, '高级代表');
  assert.equal(office.checkPermission(m, 'org.person.update', sales.id, rep.id), true);
  assert.equal(office.checkPermission(m, 'org.person.update', finance.id, accountant.id), false);
  throwsOa(() => office.updatePerson(m, accountant.id, { position: 'x' }), 'permission_denied');
  const seen = office.listPeople(m, { dept: sales.id, includeSubtree: true }).items.map((p) => p.login).sort();
  assert.deepEqual(seen, ['manager', 'rep']);

  // The accountant reads everyone and changes nothing.
  const a0 = office.signIn('accountant', 'accountant pw 1');
  office.changePassword(a0, 'accountant pw 1', 'accountant pw 2');
  const a = office.signIn('accountant', 'accountant pw 2');
  assert.equal(office.getPerson(a, rep.id).position, '高级代表');
  throwsOa(() => office.createPerson(a, { login: 'intruder', name: 'X', dept: finance.id }), 'permission_denied');
  throwsOa(() => office.listAudit(a), 'permission_denied');

  // The audit log tells who did what, denied attempts included, and its chain holds.
  const log = office.listAudit(admin, null, { limit: 1000 }).items;
  assert.ok(log.some((r) => r.operation === 'org.import' && r.actorLogin === 'admin'));
  assert.ok(log.some((r) => r.actorLogin === 'manager' && r.outcome === 'denied'));
  assert.ok(log.some((r) => r.actorLogin === 'accountant' && r.outcome === 'denied'));
  assert.ok(log.some((r) => r.operation === 'auth.sign_in' && r.actorLogin === 'manager' && r.outcome === 'success'));
  const chain = office.verifyAuditChain(admin);
  assert.equal(chain.intact, true);
  assert.equal(chain.checked, log.length);

  // Saved and reopened, the office is the same.
  const reopened = Office.open(office.save());
  const again = reopened.signIn('manager', 'manager password 2');
  assert.equal(reopened.getPerson(again, rep.id).position, '高级代表');
  const admin2 = reopened.signIn('admin', ADMIN_PASSWORD);
  assert.equal(reopened.verifyAuditChain(admin2).intact, true);
  office.close();
  throwsOa(() => office.whoami(admin), 'closed');
});
