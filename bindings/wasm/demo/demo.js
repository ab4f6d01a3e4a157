// The demo page: plain JavaScript over the web build (pkg-web). Results go into the DOM, where
// a person reads them and the headless check (scripts/demo-check.mjs) asserts them.
import init, { Office } from '../pkg-web/oa_wasm.js';

const $ = (id) => document.getElementById(id);
const show = (id, text) => { $(id).textContent = text; };

/** Keeps bytes in IndexedDB under `key`. */
function idb(mode, key, value) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('oa-demo', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('offices');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction('offices', mode);
      const store = tx.objectStore('offices');
      const request = mode === 'readwrite' ? store.put(value, key) : store.get(key);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    };
  });
}

async function main() {
  await init();
  const password = 'correct horse battery';
  const office = Office.init({ officeName: 'Demo Office', adminLogin: 'admin', adminName: 'Administrator', adminPassword: password });
  const session = office.signIn('admin', password);
  const me = office.whoami(session);
  show('who', `${me.name} (${me.login})`);

  const sales = office.createDepartment(session, { name: 'Sales', code: 'sales', parent: me.dept });
  show('dept', sales.name);
  for (const [login, name, position] of [['zhang.wei', '张伟', 'Director'], ['li.na', '李娜', 'Account manager'], ['chen.jie', '陈杰', 'Sales representative']]) {
    office.createPerson(session, { login, name, position, dept: sales.id });
  }
  const people = office.listPeople(session, { dept: sales.id }).items;
  for (const p of people) {
    const li = document.createElement('li');
    li.textContent = `${p.name} — ${p.position}`;
    li.dataset.login = p.login;
    $('people').append(li);
  }

  try {
    office.createPerson(session, { login: 'x', name: '', dept: sales.id });
    show('refused', 'nothing was refused');
  } catch (e) {
    $('refused').dataset.code = e.code;
    show('refused', `${e.code}: ${e.fields.map((f) => f.path).join(', ')}`);
  }

  await idb('readwrite', 'office', office.save());
  const reopened = Office.open(await idb('readonly', 'office'));
  const again = reopened.signIn('admin', password);
  const count = reopened.listPeople(again, { dept: sales.id }).items.length;
  $('reopened').dataset.count = String(count);
  show('reopened', `${count} people in ${reopened.getDepartment(again, sales.id).name}`);

  const chain = reopened.verifyAuditChain(again);
  $('chain').dataset.intact = String(chain.intact);
  show('chain', `${chain.intact ? 'intact' : 'broken'}, ${chain.checked} records`);
}

main().then(
  () => { $('status').dataset.state = 'ok'; show('status', 'Done.'); },
  (e) => { $('status').dataset.state = 'error'; show('status', `Failed: ${e && e.code ? `${e.code}: ` : ''}${e && e.message ? e.message : e}`); },
);
