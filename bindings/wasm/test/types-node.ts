// Type-checked with `tsc --noEmit` (never run): every operation of the Node build, called with
// the generated types, so a wrong or missing declaration fails the check.
import {
  Office,
  Principal,
  errorCodes,
  operations,
  type AuditPage,
  type Attachment,
  type AttachmentInfo,
  type AuditQuery,
  type AuditRecord,
  type ChainReport,
  type DataScope,
  type Department,
  type FieldDef,
  type Form,
  type FormData,
  type FormPage,
  type FormVersion,
  type Grant,
  type HolidayYear,
  type Id,
  type Instant,
  type IsoDate,
  type IssuedNumber,
  type ImportReport,
  type InitOffice,
  type Me,
  type NewDepartment,
  type NewForm,
  type NewGrant,
  type NewNumberingRule,
  type NewPerson,
  type NewRole,
  type NumberingRule,
  type NumberingRulePatch,
  type PageRequest,
  type ParamKind,
  type ParamSetting,
  type ParamValue,
  type PeopleQuery,
  type PermissionInfo,
  type Person,
  type PersonPage,
  type PersonPatch,
  type Role,
  type RolePatch,
  type ScopeFilter,
  type SessionInfo,
  type SessionToken,
  type WorkCalendarSettings,
  type WorkDuration,
  pendingOperations,
  type BadgeCounts,
  type DueReport,
  type FieldProblem,
  type HistoryAction,
  type HistoryEntry,
  type Instance,
  type InstanceDetail,
  type InstancePage,
  type InstanceStatus,
  type NewProcess,
  type ProcessDefinition,
  type ProcessGraph,
  type ProcessVersion,
  type ReturnTarget,
  type SignerPosition,
  type StartProcess,
  type Task,
  type TaskKind,
  type TaskPage,
  type TaskQuery,
  type TaskStatus,
  type BusinessEvent,
  type BusinessType,
  type Delegation,
  type DelegationPage,
  type MigrationRefusal,
  type MigrationReport,
  type NewDelegation,
  type NodeCount,
  type NodeTime,
  type NodeWait,
  type NodeWaitPage,
  type OverdueTask,
  type OverdueTaskPage,
  type StuckInstance,
  type StuckInstancePage,
  type StuckReason,
} from "../pkg-node/oa_wasm.js";

/** The shape of an error thrown by an office. */
interface OaErrorShape extends Error {
  code: string;
  fields?: { path: string; reason: string }[];
}

export function everyOperation(): void {
  const init: InitOffice = {
    officeName: "Acme",
    adminLogin: "admin",
    adminName: "Admin",
    adminPassword: "correct horse battery",
    separationOfDuties: false,
  };
  const office: Office = Office.init(init);
  const names: string[] = operations();
  const codes: string[] = errorCodes();
  const closed: boolean = office.closed;
  const backend: string = office.backend;

  const s: SessionToken = office.signIn("admin", "correct horse battery");
  const me: Me = office.whoami(s);
  const root: Id = me.dept;

  const newDept: NewDepartment = { name: "Sales", code: "sales", parent: root };
  const sales: Department = office.createDepartment(s, newDept);
  const renamed: Department = office.renameDepartment(s, sales.id, "Sales & Marketing");
  const moved: Department = office.moveDepartment(s, sales.id, root, 1);
  const movedAgain: Department = office.moveDepartment(s, sales.id, root);
  const reordered: Department = office.reorderDepartment(s, sales.id, 2);
  const fetched: Department = office.getDepartment(s, sales.id);
  const byCode: Department = office.findDepartmentByCode(s, "sales");
  const all: Department[] = office.listDepartments(s);
  const children: Department[] = office.departmentChildren(s, root);
  const subtree: Department[] = office.departmentSubtree(s, root);

  const newPerson: NewPerson = { login: "zhang.wei", name: "张伟", dept: sales.id, initialPassword: "first password" };
  const person: Person = office.createPerson(s, newPerson);
  const patch: PersonPatch = { email: "zhang.wei@example.com", clearSuperior: true };
  const updated: Person = office.updatePerson(s, person.id, patch);
  const transferred: Person = office.transferPerson(s, person.id, root, "Engineer");
  const transferredKeep: Person = office.transferPerson(s, person.id, sales.id);
  const withPost: Person = office.addPost(s, person.id, { dept: root, position: "Adviser" });
  const withoutPost: Person = office.removePost(s, person.id, root);
  const headed: Department = office.setDepartmentHead(s, sales.id, person.id);
  const unheaded: Department = office.setDepartmentHead(s, sales.id, null);
  const disabled: Person = office.disablePerson(s, person.id);
  const enabled: Person = office.enablePerson(s, person.id);
  const got: Person = office.getPerson(s, person.id);
  const byLogin: Person = office.findPersonByLogin(s, "zhang.wei");
  const query: PeopleQuery = { dept: root, includeSubtree: true, status: "active", text: "zhang" };
  const pageRequest: PageRequest = { limit: 10 };
  const page: PersonPage = office.listPeople(s, query, pageRequest);
  const everyone: PersonPage = office.listPeople(s);
  const next: string | null = page.nextCursor;
  const superiors: Person[] = office.superiorsOf(s, person.id);
  const head: Person | null = office.headAbove(s, person.id, 0);
  const report: ImportReport = office.importOrgCsv(s, "code,name,parent_code\n", new Uint8Array());
  const left: Person = office.markPersonLeft(s, person.id);
  const deptOff: Department = office.disableDepartment(s, sales.id);
  const deptOn: Department = office.enableDepartment(s, sales.id);

  const sessions: SessionInfo[] = office.listSessions(s, me.person);
  office.revokeSession(s, sessions[0].id);
  const revoked: number = office.revokeSessionsOf(s, person.id);
  office.resetPassword(s, person.id, "another password");
  office.changePassword(s, "correct horse battery", "a new horse battery");

  const permissions: PermissionInfo[] = office.listPermissions(s);
  const scope: DataScope = { kind: "depts", depts: [sales.id] };
  const newRole: NewRole = { code: "clerk", name: "Clerk", permissions: ["org.person.read"], dataScope: scope };
  const role: Role = office.createRole(s, newRole);
  const rolePatch: RolePatch = { name: "Senior clerk", dataScope: { kind: "own_dept_and_below" } };
  const changed: Role = office.updateRole(s, "clerk", rolePatch);
  const gotRole: Role = office.getRole(s, "clerk");
  const roles: Role[] = office.listRoles(s);
  const newGrant: NewGrant = { person: person.id, role: "clerk", limitToDept: sales.id };
  const grant: Grant = office.grantRole(s, newGrant);
  const grants: Grant[] = office.listGrants(s, person.id);
  const allGrants: Grant[] = office.listGrants(s);
  const allowed: boolean = office.checkPermission(s, "org.person.read", sales.id, person.id);
  const allowedAnywhere: boolean = office.checkPermission(s, "org.person.read");
  const allowedOf: boolean = office.checkPermissionOf(s, person.id, "org.person.read", sales.id, person.id);
  const allowedOfAnywhere: boolean = office.checkPermissionOf(s, person.id, "org.person.read");
  const filter: ScopeFilter = office.permissionScope(s, "org.person.read");
  const effective: string[] = office.effectivePermissions(s, person.id);
  const principal: Principal = office.principal(s);
  const principalPerson: Id = principal.person;
  const may: boolean = principal.allows("org.person.read");
  const mayOn: boolean = principal.allowsOn("org.person.read", sales.id, person.id);
  const mayOnDept: boolean = principal.allowsOn("org.person.read", sales.id);
  const mayOnOwner: boolean = principal.allowsOn("org.person.read", null, person.id);
  const held: string[] = principal.permissions();
  const reach: ScopeFilter = principal.scope("org.person.read");
  principal.free();
  office.revokeGrant(s, grant.id);
  office.deleteRole(s, "clerk");

  const params: ParamSetting[] = office.listParams(s);
  const kind: ParamKind = params[0].def.kind;
  const threshold: ParamSetting = office.getParam(s, "auth.lockout.threshold");
  const value: ParamValue = 10;
  const set: ParamSetting = office.setParam(s, "auth.lockout.threshold", value);
  const reset: ParamSetting = office.resetParam(s, "auth.lockout.threshold");

  const calendar: WorkCalendarSettings = office.getWorkCalendar(s);
  const newCalendar: WorkCalendarSettings = office.setWorkCalendar(s, {
    workingWeekdays: ["Mon", "Tue", "Wed", "Thu", "Fri"],
    hours: [{ start: "09:00", end: "17:00" }],
    utcOffset: "+08:00",
  });
  const holidays: HolidayYear = office.setHolidays(s, 2026, ["2026-10-01"], ["2026-09-27"]);
  const listed: HolidayYear = office.listHolidays(s, 2026);
  const duration: WorkDuration = { amount: 2, unit: "days" };
  const due: Instant = office.addWorkingTime(s, new Date().toISOString(), duration);
  const dueFromDate: Instant = office.addWorkingTime(s, new Date(), duration);

  const newRule: NewNumberingRule = { key: "contract", name: "Contracts", pattern: "HT-{year}-{seq}", seqWidth: 4, reset: "yearly" };
  const rule: NumberingRule = office.createNumberingRule(s, newRule);
  const rulePatch: NumberingRulePatch = { reset: "never", pattern: "HT-{seq}" };
  const ruleChanged: NumberingRule = office.updateNumberingRule(s, rule.key, rulePatch);
  const rules: NumberingRule[] = office.listNumberingRules(s);
  const gotRule: NumberingRule = office.getNumberingRule(s, "contract");
  const preview: string = office.previewNextNumber(s, "contract");
  const issuedText: string = office.issueNumber(s, "contract", "contract:1");
  const issued: IssuedNumber = office.getIssuedNumber(s, "contract", issuedText);

  const amount: FieldDef = { key: "amount", label: "金额", type: "money", currency: "CNY", min: "0" };
  const items: FieldDef = { key: "items", label: "明细", type: "table", fields: [amount], maxRows: 50 };
  const newForm: NewForm = { key: "purchase", name: "采购申请", fields: [{ key: "title", label: "标题", type: "text", required: true }, items] };
  const form: Form = office.defineForm(s, newForm);
  const latest: Form = office.getForm(s, "purchase");
  const first: Form = office.getForm(s, "purchase", 1);
  const forms: FormPage = office.listForms(s, { limit: 10 });
  const allForms: FormPage = office.listForms(s);
  const versions: FormVersion[] = office.formVersions(s, form.key);
  const data: FormData = { title: "Laptops", items: [{ amount: "6999.99" }] };
  const normalised: FormData = office.validateFormData(s, "purchase", null, data);
  const uploaded: AttachmentInfo = office.uploadAttachment(s, "quote.txt", "text/plain", new TextEncoder().encode("quote"));
  const attachment: Attachment = office.getAttachment(s, uploaded.hash);
  const content: Uint8Array = attachment.bytes;
  const described: AttachmentInfo = office.attachmentInfo(s, uploaded.hash);

  const auditQuery: AuditQuery = { from: new Date(0).toISOString(), operation: "org.person.create" };
  const audit: AuditPage = office.listAudit(s, auditQuery, { limit: 5 });
  const sinceDate: AuditQuery = { from: new Date(0) };
  const auditSinceDate: AuditPage = office.listAudit(s, sinceDate);
  const allAudit: AuditPage = office.listAudit(s);
  const record: AuditRecord = office.getAuditRecord(s, audit.items[0].seq);
  const chain: ChainReport = office.verifyAuditChain(s);
  const intact: boolean = chain.intact;

  const bytes: Uint8Array = office.save();
  const reopened: Office = Office.open(bytes);
  office.signOut(s);
  office.close();
  reopened.free();

  try {
    office.whoami(s);
  } catch (e) {
    const err = e as OaErrorShape;
    const firstPath: string | undefined = err.fields?.[0]?.path;
    void [err.code, firstPath];
  }

  void [dueFromDate, auditSinceDate, names, codes, closed, backend, renamed, moved, movedAgain, reordered, fetched, all, children, subtree];
  void [updated, transferred, transferredKeep, withPost, withoutPost, headed, unheaded, disabled, enabled, got];
  void [byLogin, everyone, next, superiors, head, report, left, deptOff, deptOn, revoked, permissions, role];
  void [changed, gotRole, roles, grants, allGrants, allowed, allowedAnywhere, filter, effective, kind, threshold];
  void [set, reset, allAudit, record, intact, byCode, allowedOf, allowedOfAnywhere, calendar, newCalendar];
  void [holidays, listed, due, ruleChanged, rules, gotRule, preview, issued];
  void [latest, first, forms, allForms, versions, normalised, content, described];
  void [principalPerson, may, mayOn, mayOnDept, mayOnOwner, held, reach];
}

// Every workflow operation (operations listed by `pendingOperations()`), with its types.
export function everyWorkflowOperation(office: Office, s: SessionToken, person: Id): void {
  const pending: string[] = pendingOperations();
  const graph: ProcessGraph = {
    nodes: [
      { id: "start", type: "start", next: "boss" },
      { id: "boss", type: "approval", name: "审批", next: "end", approvers: { strategy: "dept_head" }, method: "single" },
      { id: "end", type: "end" },
    ],
  };
  const newProcess: NewProcess = { key: "trip", name: "出差", category: "人事", formKey: "leave", definition: graph };
  const problems: FieldProblem[] = office.validateProcess(s, newProcess);
  const published: ProcessDefinition = office.publishProcess(s, newProcess);
  const fromJson: ProcessDefinition = office.publishProcessJson(s, '{"key": "leave"}');
  const fromObject: ProcessDefinition = office.publishProcessJson(s, { key: "leave", process: { nodeId: "start" } });
  const fromBpmn: ProcessDefinition = office.importBpmn(s, "<definitions/>", "leave", 1);
  const fromBpmnLatest: ProcessDefinition = office.importBpmn(s, "<definitions/>", "leave");
  const latest: ProcessDefinition = office.getProcess(s, "trip");
  const first: ProcessDefinition = office.getProcess(s, "trip", 1);
  const processes: ProcessDefinition[] = office.listProcesses(s);
  const versions: ProcessVersion[] = office.processVersions(s, "trip");
  const nodes: number = versions[0].nodes;

  const start: StartProcess = { processKey: "trip", title: "Trip", data: { days: "2" }, businessKey: null };
  const instance: Instance = office.startProcess(s, start);
  const status: InstanceStatus = instance.status;
  const draft: Instance = office.saveDraft(s, null, start);
  const again: Instance = office.saveDraft(s, draft.id, { ...start, version: 1 });
  const submitted: Instance = office.submitDraft(s, again.id);
  office.deleteDraft(s, draft.id);

  const query: TaskQuery = { process: "trip", from: new Date(0).toISOString(), initiator: person, text: "trip" };
  const todo: TaskPage = office.todo(s, query, { limit: 10 });
  const allTodo: TaskPage = office.todo(s);
  const task: Task = todo.items[0];
  const kind: TaskKind = task.kind;
  const taskStatus: TaskStatus = task.status;
  const approved: Instance = office.approve(s, task.id, "ok");
  const edited: Instance = office.approve(s, task.id, "ok", { days: "3" });
  const rejected: Instance = office.reject(s, task.id, "no");
  const target: ReturnTarget = { kind: "node", node: "start" };
  const returned: Instance = office.returnTask(s, task.id, target, "back");
  const toInitiator: Instance = office.returnTask(s, task.id, { kind: "initiator" }, "back");
  const resubmitted: Instance = office.resubmit(s, instance.id, { days: "1" });
  const withdrawn: Instance = office.withdraw(s, instance.id);
  const handed: Task = office.transfer(s, task.id, person, "yours");
  const position: SignerPosition = "before";
  const signer: Task = office.addSigner(s, task.id, person, position);
  const unsigned: Instance = office.removeSigner(s, signer.id);
  office.comment(s, instance.id, "a comment");
  const urged: number = office.urge(s, instance.id);
  const read: Task = office.markCcRead(s, task.id);
  const terminated: Instance = office.terminate(s, instance.id, "stop");
  const jumped: Instance = office.jump(s, instance.id, "boss");
  const report: DueReport = office.processDue(s, new Date().toISOString());
  const done: TaskPage = office.done(s, query, { limit: 10 });
  const cc: TaskPage = office.ccToMe(s, query, true, { limit: 10 });
  const allCc: TaskPage = office.ccToMe(s);
  const mine: InstancePage = office.startedByMe(s, null, { limit: 10 });
  const badges: BadgeCounts = office.badgeCounts(s);
  const detail: InstanceDetail = office.instance(s, instance.id);
  const history: HistoryEntry[] = detail.history;
  const action: HistoryAction = history[0].action;
  const linked: Instance[] = office.instancesOf(s, "contract:42");
  const waiting: InstancePage = office.instancesAtNode(s, "trip", "boss", { limit: 10 });
  const allWaiting: InstancePage = office.instancesAtNode(s, "trip", "boss");

  void [pending, problems, published, fromJson, fromObject, fromBpmn, fromBpmnLatest, latest, first, processes];
  void [nodes, status, submitted, allTodo, kind, taskStatus, approved, edited, rejected, returned, toInitiator];
  void [resubmitted, withdrawn, handed, unsigned, urged, read, terminated, jumped, report, done, cc, allCc];
  void [mine, badges, action, linked, waiting, allWaiting];
}

// Business types, monitoring, reassignment, migration and delegation, with their types.
export function everyWorkflowAdminOperation(office: Office, s: SessionToken, person: Id, task: Id, instance: Id): void {
  const declared: BusinessType = office.declareBusinessType(s, "purchase", "Purchase orders");
  const types: BusinessType[] = office.businessTypes(s);
  const lastSeq: number = types[0].lastSeq;
  const feed: BusinessEvent[] = office.businessEvents(s, "purchase");
  const after: BusinessEvent[] = office.businessEvents(s, "purchase", feed[0].seq, 10);
  const outcome: InstanceStatus = after[0].outcome;
  const businessKey: string = after[0].businessKey;

  const counts: NodeCount[] = office.nodeCounts(s, "trip");
  const oldest: Instant = counts[0].oldestEnteredAt;
  const waitingPage: NodeWaitPage = office.waitingAtNode(s, "trip", "boss", { limit: 10 });
  const allWaiting: NodeWaitPage = office.waitingAtNode(s, "trip", "boss");
  const wait: NodeWait = waitingPage.items[0];
  const waited: number = wait.waitedWorkingMinutes;
  const overduePage: OverdueTaskPage = office.overdueTasks(s, "trip", new Date().toISOString(), { limit: 10 });
  const everyOverdue: OverdueTaskPage = office.overdueTasks(s);
  const overdue: OverdueTask = overduePage.items[0];
  const deadline: Instant | null = overdue.task.deadlineAt;
  const stuckPage: StuckInstancePage = office.stuckInstances(s, "trip", { limit: 10 });
  const everyStuck: StuckInstancePage = office.stuckInstances(s);
  const stuck: StuckInstance = stuckPage.items[0];
  const why: StuckReason = stuck.reason;
  const times: NodeTime[] = office.nodeTimes(s, "trip", new Date(0).toISOString(), new Date().toISOString());
  const p90: number = times[0].p90Seconds;
  const officeToday: IsoDate = office.today(s);
  const reassigned: Task = office.reassignTask(s, task, person, "away");
  const turned: Instance = office.reassignTurn(s, instance, person, person, "left");
  const migrated: Instance = office.migrateInstance(s, instance, 2);
  const report: MigrationReport = office.migrateInstances(s, "trip", 1, 2);
  const moved: Id[] = report.migrated;
  const refusal: MigrationRefusal = report.refused[0];
  const refusedAt: string = refusal.fields[0].path;
  const enteredAt: Instant | null = migrated.tokens[0].enteredAt;

  const away: NewDelegation = { delegate: person, processKey: "trip", firstDay: "2026-12-01", lastDay: "2026-12-07", reason: "出差" };
  const made: Delegation = office.createDelegation(s, away);
  const forAll: Delegation = office.createDelegation(s, { owner: person, delegate: person, firstDay: "2026-12-01", lastDay: "2026-12-01" });
  const cancelled: Delegation = office.cancelDelegation(s, made.id);
  const cancelledAt: Instant | null = cancelled.cancelledAt;
  const mine: DelegationPage = office.myDelegations(s, { limit: 10 });
  const allMine: DelegationPage = office.myDelegations(s);
  const toMe: DelegationPage = office.delegationsToMe(s);
  const every: DelegationPage = office.allDelegations(s, { cursor: mine.nextCursor, limit: 10 });
  const onBehalf: TaskPage = office.tasksOnMyBehalf(s, { process: "trip" }, { limit: 10 });
  const allOnBehalf: TaskPage = office.tasksOnMyBehalf(s);
  const behalfOf: Id | null = onBehalf.items[0].onBehalfOf;
  const handed: Task = office.delegateTask(s, task, person, "please check");
  const from: Id | null = handed.delegatedFrom;
  const back: Task = office.takeBackTask(s, task);
  const delegated: TaskStatus = "delegated";
  const resolved: HistoryAction = "resolved";

  void [declared, lastSeq, outcome, businessKey, oldest, allWaiting, waited, everyOverdue, deadline, everyStuck];
  void [why, p90, officeToday, reassigned, turned, moved, refusedAt, enteredAt, forAll, cancelledAt, allMine, toMe, every, allOnBehalf];
  void [behalfOf, from, back, delegated, resolved];
}

// Wrong types must not compile.
export function wrongTypes(office: Office, s: SessionToken): void {
  // @ts-expect-error: a department needs a name
  office.createDepartment(s, {});
  // @ts-expect-error: the name is a string
  office.createDepartment(s, { name: 5 });
  // @ts-expect-error: a data scope is one of the known kinds
  office.createRole(s, { code: "x", name: "X", dataScope: { kind: "everything" } });
  // @ts-expect-error: a parameter value is a boolean, a number or a string
  office.setParam(s, "office.name", { text: "Acme" });
  // @ts-expect-error: a status is one of the known words
  office.listPeople(s, { status: "gone" });
  // @ts-expect-error: a weekday is written `Mon`…`Sun`
  office.setWorkCalendar(s, { workingWeekdays: ["Funday"], hours: [], utcOffset: "+08:00" });
  // @ts-expect-error: a money bound is a decimal string, never a float
  office.defineForm(s, { key: "x", name: "X", fields: [{ key: "a", label: "A", type: "money", min: 5 }] });
  // @ts-expect-error: a field kind is one of the known types
  office.defineForm(s, { key: "x", name: "X", fields: [{ key: "a", label: "A", type: "dropdown" }] });
  // @ts-expect-error: a reset period is yearly, monthly or never
  office.createNumberingRule(s, { key: "x", name: "X", pattern: "{seq}", reset: "weekly" });
  const principal = office.principal(s);
  // @ts-expect-error: a department is named by its id, a string
  principal.allowsOn("org.person.read", 5);
  // @ts-expect-error: the person of a principal is read, never written
  principal.person = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
  // @ts-expect-error: a return target is previous, a node or the initiator
  office.returnTask(s, "01ARZ3NDEKTSV4RRFFQ69G5FAV", { kind: "sideways" }, "");
  // @ts-expect-error: a signer goes before, after or alongside
  office.addSigner(s, "01ARZ3NDEKTSV4RRFFQ69G5FAV", "01ARZ3NDEKTSV4RRFFQ69G5FAV", "later");
  // @ts-expect-error: a delegation needs its delegate
  office.createDelegation(s, { firstDay: "2026-12-01", lastDay: "2026-12-07" });
  // @ts-expect-error: a day is an ISO 8601 date string, never a Date
  office.createDelegation(s, { delegate: "01ARZ3NDEKTSV4RRFFQ69G5FAV", firstDay: new Date(), lastDay: "2026-12-07" });
  // @ts-expect-error: a version is a number
  office.migrateInstance(s, "01ARZ3NDEKTSV4RRFFQ69G5FAV", "2");
  // @ts-expect-error: a sequence number is a number
  office.businessEvents(s, "purchase", "3");
  // @ts-expect-error: a reason of being stuck is one of the known words
  const reason: StuckReason = "asleep";
  void reason;
  // @ts-expect-error: a node's type is one of the known kinds
  office.validateProcess(s, { key: "x", name: "X", formKey: "f", definition: { nodes: [{ id: "a", type: "gateway" }] } });
}
