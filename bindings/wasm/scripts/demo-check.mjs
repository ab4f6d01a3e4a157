// Serves the demo page and the web build on 127.0.0.1 and drives the page in headless Chromium;
// asserts what the page wrote into the DOM and exits non-zero on any failure.
import http from 'node:http';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const served = ['demo', 'pkg-web'];
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm', '.ts': 'text/plain; charset=utf-8' };
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const file = path.normalize(path.join(root, decodeURIComponent(url.pathname)));
  const top = path.relative(root, file).split(path.sep)[0];
  if (!file.startsWith(root + path.sep) || !served.includes(top)) {
    res.writeHead(404).end('not found');
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(body);
  } catch {
    res.writeHead(404).end('not found');
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();

const profile = await mkdtemp(path.join(tmpdir(), 'oa-demo-chromium-'));
const results = [];
const check = (name, ok, detail = '') => {
  results.push(ok);
  console.log(`${ok ? 'ok' : 'not ok'} - ${name}${ok || !detail ? '' : `: ${detail}`}`);
};
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  await page.goto(`http://127.0.0.1:${port}/demo/index.html`);
  await page.waitForSelector('#status:not([data-state="running"])', { timeout: 120_000 });

  const state = await page.getAttribute('#status', 'data-state');
  check('the page ran to the end', state === 'ok', `${await page.textContent('#status')} ${problems.join('; ')}`);
  check('it signed in', (await page.textContent('#who')) === 'Administrator (admin)', await page.textContent('#who'));
  check('it built a department', (await page.textContent('#dept')) === 'Sales', await page.textContent('#dept'));
  const logins = await page.$$eval('#people li', (items) => items.map((li) => li.dataset.login).sort());
  check('it listed the department\'s people', JSON.stringify(logins) === JSON.stringify(['chen.jie', 'li.na', 'zhang.wei']), JSON.stringify(logins));
  check('a bad input was refused with its code', (await page.getAttribute('#refused', 'data-code')) === 'validation', await page.textContent('#refused'));
  check('the office came back from IndexedDB', (await page.getAttribute('#reopened', 'data-count')) === '3', await page.textContent('#reopened'));
  check('the audit chain is intact', (await page.getAttribute('#chain', 'data-intact')) === 'true', await page.textContent('#chain'));
  check('no error in the console', problems.length === 0, problems.join('; '));
} catch (e) {
  check('the browser ran the demo', false, e instanceof Error ? e.message : String(e));
} finally {
  await context?.close().catch(() => {});
  server.close();
  await rm(profile, { recursive: true, force: true });
}

const passed = results.filter(Boolean).length;
const failed = results.length - passed;
console.log(`demo: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
