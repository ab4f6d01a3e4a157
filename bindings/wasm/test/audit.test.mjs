// The audit log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newOffice, throwsOa } from './helpers.mjs';

test('list, filter, page, get and verify the audit log', () => {
  const { office, s, me } = newOffice();
  const before = new Date(Date.now() - 60_000).toISOString();
  office.createDepartment(s, { name: 'Sales', parent: me.dept });
  office.createDepartment(s, { name: 'HR', parent: me.dept });

  const page = office.listAudit(s);
  assert.ok(page.items.length >= 4);
  const [newest] = page.items;
  assert.equal(newest.operation, 'org.dept.create');
  assert.equal(newest.outcome, 'success');
  assert.equal(newest.actor, me.person);
  assert.equal(newest.actorLogin, 'admin');
  assert.match(newest.hash, /^[0-9a-f]{64}$/);
  assert.equal(typeof newest.seq, 'number');

  const creates = office.listAudit(s, { operation: 'org.dept.create', from: before });
  assert.deepEqual(creates.items.map((r) => r.summary), ['created department `HR`', 'created department `Sales`']);
  assert.equal(office.listAudit(s, { to: before }).items.length, 0);
  // Filters take `Date`s as well as ISO strings; the query object itself is left as it was.
  const query = { operation: 'org.dept.create', from: new Date(before) };
  assert.deepEqual(office.listAudit(s, query).items.map((r) => r.summary), creates.items.map((r) => r.summary));
  assert.ok(query.from instanceof Date);
  throwsOa(() => office.listAudit(s, { from: new Date(NaN) }), 'validation', 'from');
  assert.equal(office.listAudit(s, { actor: me.person }, { limit: 1 }).items.length, 1);

  const first = office.listAudit(s, null, { limit: 2 });
  assert.equal(first.items.length, 2);
  const second = office.listAudit(s, null, { cursor: first.nextCursor, limit: 2 });
  assert.ok(second.items[0].seq < first.items[1].seq);

  const record = office.getAuditRecord(s, 1);
  assert.equal(record.seq, 1);
  assert.equal(record.operation, 'office.init');
  assert.equal(record.prevHash, '0'.repeat(64));
  throwsOa(() => office.getAuditRecord(s, 99999), 'not_found');
  throwsOa(() => office.getAuditRecord(s, -1), 'validation', 'seq');

  const chain = office.verifyAuditChain(s);
  assert.equal(chain.intact, true);
  assert.equal(chain.firstMismatch, null);
  assert.ok(chain.checked >= 4);
  assert.equal(chain.headHash, office.listAudit(s, null, { limit: 1 }).items[0].hash);
  throwsOa(() => office.listAudit(s, { from: 'last week' }), 'validation', 'from');
});
