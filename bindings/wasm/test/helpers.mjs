// Shared helpers of the tests of the Node build (pkg-node).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** The Node build of the binding, as `wasm-bindgen --target nodejs` wrote it. */
export const oa = require('../pkg-node/oa_wasm.js');
export const { Office, Principal, operations, pendingOperations, errorCodes } = oa;

export const ADMIN_PASSWORD = 'correct horse battery';

/** A new office with one administrator, signed in: `{ office, s, me }`. */
export function newOffice(name = 'Acme') {
  const office = Office.init({ officeName: name, adminLogin: 'admin', adminName: 'Admin', adminPassword: ADMIN_PASSWORD });
  const s = office.signIn('admin', ADMIN_PASSWORD);
  const me = office.whoami(s);
  return { office, s, me };
}

/**
 * Asserts that `fn` throws an office error with `code`; with `path`, that one of its failing
 * fields has that path. Returns the error.
 */
export function throwsOa(fn, code, path) {
  let error;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  assert.ok(error, `expected an error with code ${code}, nothing was thrown`);
  assert.ok(error instanceof Error, `expected an Error, got ${String(error)}`);
  assert.equal(error.name, 'OaError', `${error.name}: ${error.message}`);
  assert.equal(error.code, code, error.message);
  if (code === 'validation') {
    assert.ok(Array.isArray(error.fields) && error.fields.length > 0, 'a validation error lists its fields');
    for (const f of error.fields) {
      assert.equal(typeof f.path, 'string');
      assert.equal(typeof f.reason, 'string');
    }
  }
  if (path !== undefined) {
    assert.ok(
      error.fields.some((f) => f.path === path),
      `expected a field error at ${path}, got ${JSON.stringify(error.fields)}`,
    );
  }
  return error;
}
