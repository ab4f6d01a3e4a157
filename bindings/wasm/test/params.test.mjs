// Parameters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newOffice, throwsOa } from './helpers.mjs';

test('list, get, set and reset parameters of every kind', () => {
  const { office, s } = newOffice('Acme');
  const all = office.listParams(s);
  const byKey = Object.fromEntries(all.map((p) => [p.def.key, p]));
  assert.equal(byKey['office.name'].value, 'Acme');
  assert.equal(byKey['office.name'].isDefault, false);
  assert.deepEqual(byKey['office.name'].def.kind, { type: 'text', maxLen: 100 });
  assert.deepEqual(byKey['auth.lockout.threshold'].def.kind, { type: 'int', min: 1, max: 100 });
  assert.equal(byKey['auth.lockout.threshold'].def.default, 5);
  assert.equal(byKey['auth.password.policy'].def.kind.type, 'choice');

  const threshold = office.getParam(s, 'auth.lockout.threshold');
  assert.equal(threshold.isDefault, true);
  assert.equal(office.setParam(s, 'auth.lockout.threshold', 7).value, 7);
  assert.equal(office.setParam(s, 'auth.password.policy', 'dengbao3').value, 'dengbao3');
  assert.equal(office.setParam(s, 'office.base_currency', 'EUR').value, 'EUR');
  assert.equal(office.setParam(s, 'security.separation_of_duties', false).value, false);
  const reset = office.resetParam(s, 'auth.lockout.threshold');
  assert.equal(reset.value, 5);
  assert.equal(reset.isDefault, true);

  throwsOa(() => office.setParam(s, 'auth.lockout.threshold', 1000), 'validation', 'value');
  throwsOa(() => office.setParam(s, 'auth.lockout.threshold', 'seven'), 'validation', 'value');
  throwsOa(() => office.setParam(s, 'auth.lockout.threshold', 2.5), 'validation', 'value');
  throwsOa(() => office.setParam(s, 'auth.lockout.threshold', undefined), 'validation', 'value');
  throwsOa(() => office.setParam(s, 'no.such.key', 1), 'validation', 'key');
  throwsOa(() => office.getParam(s, 'no.such.key'), 'not_found');
  throwsOa(() => office.resetParam(s, 'no.such.key'), 'validation', 'key');
});
