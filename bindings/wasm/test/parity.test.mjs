// Parity: every operation of the core is a method of Office, named in camelCase: those of
// operations() and those the core lists as pending (pendingOperations(), the workflow engine's),
// so nothing breaks when names move from one list to the other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Office, operations, pendingOperations, errorCodes } from './helpers.mjs';

/** Every operation the web frontend must have: `operations()` ∪ `pendingOperations()`. */
const everyOperation = () => [...new Set([...operations(), ...pendingOperations()])];

/** `create_person` → `createPerson`: the documented mapping from the core's names. */
const camel = (name) => name.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

/**
 * Operations that make an office rather than act on one: static methods of Office.
 * `init` creates an office in memory; `open` opens one from the bytes `save` gave (the web
 * build has no folders: it keeps the office as bytes).
 */
const STATIC = new Set(['init', 'open']);

/**
 * Operations of the core that cannot fit the web build, with the reason. None today: every
 * operation is a method of Office.
 */
const EXCLUDED = new Map();

test('operations() lists the core operations', () => {
  const names = operations();
  assert.ok(Array.isArray(names) && names.length > 40, `got ${names.length} names`);
  for (const n of ['init', 'open', 'close', 'sign_in', 'create_person', 'verify_audit_chain']) {
    assert.ok(names.includes(n), n);
  }
  assert.equal(new Set(names).size, names.length, 'no name twice');
});

test('every operation of the core is a method of Office', () => {
  const missing = [];
  for (const name of everyOperation()) {
    if (EXCLUDED.has(name)) continue;
    const js = camel(name);
    const owner = STATIC.has(name) ? Office : Office.prototype;
    if (typeof owner[js] !== 'function') missing.push(`${name} → ${STATIC.has(name) ? 'Office.' : 'office.'}${js}`);
  }
  assert.deepEqual(missing, [], `missing from the web frontend: ${missing.join(', ')}`);
});

test('the exclusion list names only operations of the core', () => {
  const names = new Set(everyOperation());
  for (const name of EXCLUDED.keys()) assert.ok(names.has(name), `${name} is not an operation of the core`);
  for (const name of STATIC) assert.ok(names.has(name), `${name} is not an operation of the core`);
});

test('errorCodes() lists the stable codes', () => {
  const codes = errorCodes();
  for (const c of ['validation', 'not_found', 'permission_denied', 'invalid_state', 'unauthenticated', 'closed']) {
    assert.ok(codes.includes(c), c);
  }
});
