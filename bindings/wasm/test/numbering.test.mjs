// Document numbering (文号).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newOffice, throwsOa } from './helpers.mjs';

test('rules: create, update, list, get', () => {
  const { office, s } = newOffice();
  const rule = office.createNumberingRule(s, { key: 'office_doc', name: '发文字号', pattern: '办〔{year}〕{seq}号', reset: 'yearly' });
  assert.equal(rule.seqWidth, 0);
  assert.equal(rule.reset, 'yearly');
  office.createNumberingRule(s, { key: 'contract', name: 'Contracts', pattern: 'HT-{year}-{seq}', seqWidth: 4, reset: 'yearly' });
  assert.deepEqual(office.listNumberingRules(s).map((r) => r.key), ['contract', 'office_doc']);
  const updated = office.updateNumberingRule(s, 'contract', { name: '合同编号', seqWidth: 5 });
  assert.equal(updated.name, '合同编号');
  assert.equal(updated.seqWidth, 5);
  assert.equal(updated.pattern, 'HT-{year}-{seq}', 'left out: kept');
  assert.equal(office.getNumberingRule(s, 'contract').seqWidth, 5);

  const e = throwsOa(() => office.createNumberingRule(s, { key: 'Bad Key', name: '', pattern: 'no sequence', reset: 'monthly' }), 'validation');
  assert.ok(['key', 'name', 'pattern'].every((p) => e.fields.some((f) => f.path === p)), JSON.stringify(e.fields));
  throwsOa(() => office.createNumberingRule(s, { key: 'x', name: 'X', pattern: '{seq}', reset: 'weekly' }), 'validation', 'reset');
  throwsOa(() => office.createNumberingRule(s, { key: 'x', name: 'X', pattern: '{seq}', reset: 'never', seqWidth: 1000 }), 'validation', 'seqWidth');
  throwsOa(() => office.updateNumberingRule(s, 'contract', { seqWidth: 'wide' }), 'validation', 'seqWidth');
  throwsOa(() => office.getNumberingRule(s, 'nope'), 'not_found');
});

test('numbers: preview, issue, look up', () => {
  const { office, s, me } = newOffice();
  office.createNumberingRule(s, { key: 'contract', name: 'Contracts', pattern: 'HT-{year}-{seq}', seqWidth: 4, reset: 'yearly' });
  const year = new Date().getUTCFullYear();
  const preview = office.previewNextNumber(s, 'contract');
  assert.match(preview, /^HT-\d{4}-0001$/);
  assert.equal(office.previewNextNumber(s, 'contract'), preview, 'a preview issues nothing');
  const first = office.issueNumber(s, 'contract', 'contract:demo-1');
  assert.equal(first, preview);
  const second = office.issueNumber(s, 'contract', 'contract:demo-2');
  assert.match(second, /-0002$/);

  const issued = office.getIssuedNumber(s, 'contract', second);
  assert.equal(issued.rule, 'contract');
  assert.equal(issued.seq, 2);
  assert.ok([String(year), String(year + 1)].includes(issued.period));
  assert.equal(issued.owner, 'contract:demo-2');
  assert.equal(issued.issuedBy, me.person);
  throwsOa(() => office.getIssuedNumber(s, 'contract', 'HT-1999-9999'), 'not_found');
  throwsOa(() => office.issueNumber(s, 'contract', ''), 'validation', 'owner');
  throwsOa(() => office.issueNumber(s, 'nope', 'x'), 'not_found');
  throwsOa(() => office.issueNumber(s, 'contract', 42), 'validation', 'owner');
});
