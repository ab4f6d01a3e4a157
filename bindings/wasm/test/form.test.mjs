// Forms (表单) and attachments (附件).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newOffice, throwsOa } from './helpers.mjs';

const PURCHASE = {
  key: 'purchase',
  name: '采购申请',
  description: 'Buying things',
  fields: [
    { key: 'title', label: '标题', type: 'text', required: true, maxLength: 50 },
    { key: 'needed_by', label: 'Needed by', type: 'date', min: '2026-01-01' },
    { key: 'urgent', label: 'Urgent', type: 'yes_no' },
    { key: 'kind', label: 'Kind', type: 'choice', options: [{ value: 'it', label: 'IT' }, { value: 'office', label: 'Office' }] },
    {
      key: 'items',
      label: '明细',
      type: 'table',
      minRows: 1,
      fields: [
        { key: 'name', label: 'Item', type: 'text', required: true },
        { key: 'amount', label: '金额', type: 'money', currency: 'CNY', min: '0' },
      ],
    },
    { key: 'total', label: '合计', type: 'total', of: 'items.amount' },
    { key: 'quote', label: 'Quote', type: 'attachment', maxFiles: 2 },
  ],
};

test('define, read, version and list forms', () => {
  const { office, s } = newOffice();
  const v1 = office.defineForm(s, PURCHASE);
  assert.equal(v1.version, 1);
  assert.equal(v1.fields.length, 7);
  const money = v1.fields[4].fields[1];
  assert.deepEqual([money.type, money.currency, money.min, money.required, money.help], ['money', 'CNY', '0', false, '']);
  assert.equal(office.defineForm(s, PURCHASE).version, 1, 'the same definition again changes nothing');
  const v2 = office.defineForm(s, { ...PURCHASE, name: '采购申请单' });
  assert.equal(v2.version, 2);
  assert.equal(office.getForm(s, 'purchase').name, '采购申请单');
  assert.equal(office.getForm(s, 'purchase', 1).name, '采购申请');
  assert.deepEqual(office.formVersions(s, 'purchase').map((v) => v.version), [1, 2]);
  office.defineForm(s, { key: 'leave', name: '请假单', fields: [{ key: 'days', label: 'Days', type: 'number', min: '0.5', decimals: 1 }] });
  const page = office.listForms(s, { limit: 1 });
  assert.deepEqual(page.items.map((f) => f.key), ['leave']);
  assert.deepEqual(office.listForms(s, { cursor: page.nextCursor }).items.map((f) => f.key), ['purchase']);
  assert.equal(office.listForms(s).items.length, 2);

  throwsOa(() => office.getForm(s, 'nope'), 'not_found');
  throwsOa(() => office.getForm(s, 'purchase', 9), 'not_found');
  // A bound of the wrong type inside a field's settings is named by its field (the settings
  // are read as one object beside `type`).
  const e = throwsOa(() => office.defineForm(s, { ...PURCHASE, fields: [{ key: 'x', label: 'X', type: 'money', min: 5 }] }), 'validation', 'fields[0]');
  assert.match(e.fields[0].reason, /string, got the number `5`/);
  throwsOa(() => office.defineForm(s, { ...PURCHASE, fields: [{ key: 'x', label: 'X', type: 'dropdown' }] }), 'validation');
  throwsOa(() => office.defineForm(s, { ...PURCHASE, key: 'Bad Key' }), 'validation', 'key');
});

test('validate form data, with money as strings and every failing field', () => {
  const { office, s } = newOffice();
  office.defineForm(s, PURCHASE);
  const data = {
    title: 'Laptops',
    needed_by: '2026-12-01',
    urgent: true,
    kind: 'it',
    items: [{ name: 'Laptop', amount: '6999.995' }, { name: 'Mouse', amount: { amount: '99', currency: 'CNY' } }],
  };
  const normalised = office.validateFormData(s, 'purchase', null, data);
  assert.deepEqual(normalised.items[0].amount, { amount: '7000.00', currency: 'CNY' }, 'rounded half-up, kept as a string');
  assert.deepEqual(normalised.total, { amount: '7099.00', currency: 'CNY' });

  const e = throwsOa(
    () => office.validateFormData(s, 'purchase', 1, { needed_by: '2025-01-01', kind: 'food', items: [{ amount: 12.5 }] }),
    'validation',
  );
  const paths = e.fields.map((f) => f.path);
  // Paths into form data keep the keys the form's author chose (`needed_by`, not camelCase).
  for (const p of ['title', 'needed_by', 'kind', 'items[0].name', 'items[0].amount']) assert.ok(paths.includes(p), `${p} in ${paths}`);
  throwsOa(() => office.validateFormData(s, 'purchase', 'latest', data), 'validation', 'version');

  // A date-time value may be a `Date`, as JSON.stringify would write it.
  office.defineForm(s, { key: 'visit', name: 'Visit', fields: [{ key: 'arrives', label: 'Arrives', type: 'date_time' }] });
  const visit = office.validateFormData(s, 'visit', null, { arrives: new Date('2026-12-01T01:30:00Z') });
  assert.equal(new Date(visit.arrives).toISOString(), '2026-12-01T01:30:00.000Z');
  throwsOa(() => office.validateFormData(s, 'visit', null, { arrives: new Date('') }), 'validation', 'arrives');
  throwsOa(() => office.validateFormData(s, 'nope', null, data), 'not_found');
});

test('upload, read and reference attachments', () => {
  const { office, s, me } = newOffice();
  office.defineForm(s, PURCHASE);
  const bytes = new TextEncoder().encode('a quote from the supplier\n');
  const info = office.uploadAttachment(s, 'quote.txt', 'text/plain', bytes);
  assert.match(info.hash, /^[0-9a-f]{64}$/);
  assert.equal(info.size, bytes.length);
  assert.equal(info.fileName, 'quote.txt');
  assert.equal(info.createdBy, me.person);
  assert.equal(office.uploadAttachment(s, 'again.txt', 'text/plain', bytes).fileName, 'quote.txt', 'stored once');

  const got = office.getAttachment(s, info.hash);
  assert.ok(got.bytes instanceof Uint8Array);
  assert.equal(new TextDecoder().decode(got.bytes), 'a quote from the supplier\n');
  assert.deepEqual(got.info, info);
  assert.deepEqual(office.attachmentInfo(s, info.hash), info);

  const data = office.validateFormData(s, 'purchase', null, { title: 'x', items: [{ name: 'a', amount: '1' }], quote: info.hash });
  assert.deepEqual(data.quote, [info.hash]);

  throwsOa(() => office.uploadAttachment(s, 'evil.exe', 'application/x-msdownload', bytes), 'validation');
  throwsOa(() => office.uploadAttachment(s, 'quote.txt', 'text/plain', 'not bytes'), 'validation', 'bytes');
  throwsOa(() => office.getAttachment(s, 'not-a-hash'), 'validation', 'hash');
  throwsOa(() => office.attachmentInfo(s, '0'.repeat(64)), 'not_found');
});
