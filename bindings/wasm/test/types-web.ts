// Type-checked with `tsc --noEmit` (never run): the browser build is initialised before use and
// has the same Office class.
import init, { Office, operations, type SessionToken, type Department, type NodeCount } from "../pkg-web/oa_wasm.js";

export async function start(): Promise<Department[]> {
  await init();
  const office = Office.init({ officeName: "Acme", adminLogin: "admin", adminName: "Admin", adminPassword: "correct horse battery" });
  const s: SessionToken = office.signIn("admin", "correct horse battery");
  const names: string[] = operations();
  const counts: NodeCount[] = office.nodeCounts(s, "leave");
  void [names, counts];
  return office.listDepartments(s);
}
