// Departments and people.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newOffice, throwsOa } from './helpers.mjs';

test('departments: create, rename, move, reorder, head, disable, enable, read', () => {
  const { office, s, me } = newOffice();
  const root = me.dept;
  const sales = office.createDepartment(s, { name: 'Sales', code: 'sales', parent: root });
  assert.equal(sales.parent, root);
  assert.equal(sales.status, 'active');
  const east = office.createDepartment(s, { name: 'East', parent: sales.id, sortOrder: 5 });
  const west = office.createDepartment(s, { name: 'West', parent: sales.id });
  assert.equal(east.sortOrder, 5);

  assert.equal(office.renameDepartment(s, east.id, 'East Region').name, 'East Region');
  assert.deepEqual(office.departmentChildren(s, sales.id).map((d) => d.name), ['East Region', 'West']);
  assert.equal(office.reorderDepartment(s, west.id, 1).sortOrder, 1);
  assert.deepEqual(office.departmentChildren(s, sales.id).map((d) => d.name), ['West', 'East Region']);

  const moved = office.moveDepartment(s, east.id, root);
  assert.equal(moved.parent, root);
  assert.equal(office.moveDepartment(s, east.id, sales.id, 0).parent, sales.id);
  throwsOa(() => office.moveDepartment(s, sales.id, east.id), 'validation', 'parent');

  const boss = office.createPerson(s, { login: 'boss', name: 'Boss', dept: sales.id });
  assert.equal(office.setDepartmentHead(s, sales.id, boss.id).head, boss.id);
  assert.equal(office.setDepartmentHead(s, sales.id, null).head, null);

  assert.deepEqual(office.departmentSubtree(s, sales.id).map((d) => d.id).sort(), [sales.id, east.id, west.id].sort());
  assert.equal(office.getDepartment(s, west.id).name, 'West');
  assert.equal(office.findDepartmentByCode(s, 'SALES').id, sales.id, 'codes are case-insensitive');
  throwsOa(() => office.findDepartmentByCode(s, 'nowhere'), 'not_found');
  throwsOa(() => office.findDepartmentByCode(s, 5), 'validation', 'code');
  assert.equal(office.listDepartments(s).length, 4);

  assert.equal(office.disableDepartment(s, west.id).status, 'disabled');
  assert.equal(office.enableDepartment(s, west.id).status, 'active');
  // Sales still has an active person and children.
  throwsOa(() => office.disableDepartment(s, sales.id), 'invalid_state');
  throwsOa(() => office.createDepartment(s, { name: 'sales', code: 'other', parent: root }), 'validation', 'name');
  throwsOa(() => office.getDepartment(s, '01M8HZR3A4R2KQQEHSFPP4MZ2S'), 'not_found');
});

test('people: create, update, transfer, posts, status, read', () => {
  const { office, s, me } = newOffice();
  const root = me.dept;
  const sales = office.createDepartment(s, { name: 'Sales', parent: root });
  const east = office.createDepartment(s, { name: 'East', parent: sales.id });

  const head = office.createPerson(s, { login: 'wang.fang', name: '王芳', dept: sales.id, position: 'Director' });
  office.setDepartmentHead(s, sales.id, head.id);
  const p = office.createPerson(s, {
    login: 'zhang.wei',
    name: '张伟',
    dept: east.id,
    email: 'zhang.wei@example.com',
    superior: head.id,
  });
  assert.equal(p.name, '张伟');
  assert.equal(p.phone, null);
  assert.deepEqual(p.posts, []);
  assert.equal(p.status, 'active');

  const u = office.updatePerson(s, p.id, { phone: '+86 10 1234 5678', email: '' });
  assert.equal(u.phone, '+86 10 1234 5678');
  assert.equal(u.email, null, '"" clears a field');
  assert.equal(office.updatePerson(s, p.id, { clearSuperior: true }).superior, null);
  assert.equal(office.updatePerson(s, p.id, { superior: head.id }).superior, head.id);
  throwsOa(() => office.updatePerson(s, p.id, { email: 'not an address' }), 'validation', 'email');

  assert.deepEqual(office.superiorsOf(s, p.id).map((x) => x.id), [head.id]);
  assert.equal(office.headAbove(s, p.id, 0), null, 'East has no head');
  assert.equal(office.headAbove(s, p.id, 1).id, head.id);
  assert.equal(office.headAbove(s, p.id, 9), null);

  const t = office.transferPerson(s, p.id, sales.id, 'Engineer');
  assert.equal(t.dept, sales.id);
  assert.equal(t.position, 'Engineer');
  assert.equal(office.transferPerson(s, p.id, east.id).position, 'Engineer', 'left out: kept');

  const withPost = office.addPost(s, p.id, { dept: root, position: 'Adviser' });
  assert.deepEqual(withPost.posts, [{ dept: root, position: 'Adviser' }]);
  assert.deepEqual(office.removePost(s, p.id, root).posts, []);

  assert.equal(office.disablePerson(s, p.id).status, 'disabled');
  assert.equal(office.enablePerson(s, p.id).status, 'active');
  assert.equal(office.getPerson(s, p.id).login, 'zhang.wei');
  assert.equal(office.findPersonByLogin(s, 'ZHANG.WEI').id, p.id);
  assert.equal(office.markPersonLeft(s, p.id).status, 'left');
  throwsOa(() => office.findPersonByLogin(s, 'nobody'), 'not_found');
  throwsOa(() => office.createPerson(s, { login: 'zhang.wei', name: 'Again', dept: root }), 'validation', 'login');
});

test('listPeople filters and pages by cursor', () => {
  const { office, s, me } = newOffice();
  const sales = office.createDepartment(s, { name: 'Sales', parent: me.dept });
  const east = office.createDepartment(s, { name: 'East', parent: sales.id });
  for (let i = 0; i < 5; i++) office.createPerson(s, { login: `s${i}`, name: `Seller ${i}`, dept: i < 3 ? sales.id : east.id });

  assert.equal(office.listPeople(s).items.length, 6, 'everyone, the administrator too');
  assert.equal(office.listPeople(s, { dept: sales.id }).items.length, 3);
  assert.equal(office.listPeople(s, { dept: sales.id, includeSubtree: true }).items.length, 5);
  assert.deepEqual(office.listPeople(s, { text: 'seller 4' }).items.map((p) => p.login), ['s4']);
  assert.equal(office.listPeople(s, { status: 'left' }).items.length, 0);

  const seen = [];
  let page = office.listPeople(s, { dept: sales.id, includeSubtree: true }, { limit: 2 });
  for (;;) {
    seen.push(...page.items.map((p) => p.login));
    if (page.nextCursor === null) break;
    page = office.listPeople(s, { dept: sales.id, includeSubtree: true }, { cursor: page.nextCursor, limit: 2 });
  }
  assert.deepEqual(seen.sort(), ['s0', 's1', 's2', 's3', 's4']);
  throwsOa(() => office.listPeople(s, null, { limit: 5000 }), 'validation', 'limit');
  throwsOa(() => office.listPeople(s, null, { cursor: 'garbage!' }), 'validation', 'cursor');
});

test('importOrgCsv takes text or bytes, all or nothing', () => {
  const { office, s } = newOffice();
  // An empty parent_code puts a department under the office's only root.
  const departments = 'code,name,parent_code\nhq,Headquarters,\nfin,Finance,hq\n';
  const people = 'login,name,dept_code,superior_login,password\nchen.jie,陈杰,hq,,\nliu.yang,刘洋,fin,chen.jie,initial password\n';
  const report = office.importOrgCsv(s, departments, new TextEncoder().encode(people));
  assert.deepEqual(report, { departmentsCreated: 2, peopleCreated: 2, passwordsSet: 1, withoutPassword: 1 });
  assert.equal(office.findPersonByLogin(s, 'liu.yang').name, '刘洋');

  const e = throwsOa(
    () => office.importOrgCsv(s, '', 'login,name,dept_code,email\nbad,Bad,nowhere,not-an-email\n'),
    'validation',
  );
  assert.ok(e.fields.some((f) => f.path.startsWith('people.csv:2.')), JSON.stringify(e.fields));
  throwsOa(() => office.importOrgCsv(s, 42, ''), 'validation', 'departmentsCsv');
  throwsOa(() => office.importOrgCsv(s, '', null), 'validation', 'peopleCsv');
});
