package oa

import java.time.Instant
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

/**
 * The approval workflow (审批流程): a leave form and its DingTalk-style process, requests that
 * walk the path their data chooses through the todo lists, and every other operation once.
 */
class WorkflowTest {
    /** An office with Sales (head zhang; li reports to zhang) and HR (wang, role `hr`). */
    private class Day(val office: Office) {
        val admin = office.signIn("admin", PW)
        private val root = office.root(admin)
        val sales = office.createDepartment(admin, NewDepartment(name = "Sales", parent = root.id))
        val hrDept = office.createDepartment(admin, NewDepartment(name = "HR", parent = root.id))
        val zhang = office.personWithPassword(admin, "zhang", "张伟", sales.id)
        val li = office.personWithPassword(admin, "li", "李娜", sales.id).let {
            office.updatePerson(admin, it.id, PersonPatch(superior = office.findPersonByLogin(admin, "zhang").id))
        }
        val wang = office.personWithPassword(admin, "wang", "王芳", hrDept.id)
        val zhangS: Session
        val liS: Session
        val wangS: Session

        init {
            office.setDepartmentHead(admin, sales.id, zhang.id)
            office.createRole(admin, NewRole(code = "staff", name = "Staff", dataScope = DataScope.SelfOnly, permissions = listOf("workflow.instance.start")))
            office.createRole(admin, NewRole(code = "hr", name = "HR", dataScope = DataScope.All))
            office.grantRole(admin, NewGrant(person = li.id, role = "staff"))
            office.grantRole(admin, NewGrant(person = wang.id, role = "hr"))
            zhangS = office.signIn("zhang", "zhang's own password")
            liS = office.signIn("li", "li's own password")
            wangS = office.signIn("wang", "wang's own password")
            office.defineForm(admin, LEAVE_FORM)
            val published = office.publishProcessJson(admin, LEAVE_PROCESS)
            assertEquals(1u, published.version)
        }

        fun start(title: String, days: String, businessKey: String? = null) =
            office.startProcess(liS, leave(title, days, businessKey))

        fun todo(s: Session) = office.todo(s, TaskQuery(), PageRequest()).items
    }

    private fun day(block: Day.() -> Unit) = memoryOffice().use { Day(it).block() }

    @Test
    fun `leave requests walk the path their data chooses`() = day {
        val short = start("li: 2 days", "2")
        val long = start("li: 5 days", "5")
        assertEquals(InstanceStatus.RUNNING, short.status)
        assertEquals(listOf("head"), short.nodes)
        assertEquals(li.id, short.initiator)
        assertEquals(setOf("li: 2 days", "li: 5 days"), todo(zhangS).map { it.title }.toSet())
        assertEquals(BadgeCounts(todo = 2u, ccUnread = 0u), office.badgeCounts(zhangS))
        for (task in todo(zhangS)) {
            assertEquals(TaskKind.APPROVE, task.kind)
            assertEquals(TaskStatus.PENDING, task.status)
            office.approve(zhangS, task.id, "ok")
        }
        assertEquals(InstanceStatus.APPROVED, office.instance(liS, short.id).instance.status)
        assertEquals(InstanceStatus.RUNNING, office.instance(liS, long.id).instance.status)
        assertEquals(listOf("li: 5 days"), todo(wangS).map { it.title })

        // Someone who is not the assignee may not act; the assignee may, once.
        val hrTask = todo(wangS).single()
        assertEquals("hr", hrTask.node)
        assertOa<OaException.PermissionDenied> { office.approve(zhangS, hrTask.id, "me too") }
        office.approve(wangS, hrTask.id, "approved")
        assertOa<OaException.InvalidState> { office.approve(wangS, hrTask.id, "again") }

        val detail = office.instance(liS, long.id)
        assertEquals(InstanceStatus.APPROVED, detail.instance.status)
        assertNotNull(detail.instance.endedAt)
        assertTrue(detail.tasks.map { it.node }.containsAll(listOf("head", "hr")), detail.tasks.toString())
        assertEquals(HistoryAction.SUBMITTED, detail.history.first().action)
        assertTrue(detail.history.any { it.action == HistoryAction.APPROVED && it.actor == wang.id && it.comment == "approved" })
        assertEquals(detail.history.indices.map { it.toUInt() }, detail.history.map { it.seq - detail.history.first().seq })
        assertTrue(todo(wangS).isEmpty())
        assertEquals(2, office.done(zhangS, TaskQuery(), PageRequest()).items.size)
        assertEquals(TaskStatus.APPROVED, office.done(wangS, TaskQuery(), PageRequest()).items.single().status)
        val mine = office.startedByMe(liS, TaskQuery(), PageRequest())
        assertEquals(setOf(short.id, long.id), mine.items.map { it.id }.toSet())
        assertEquals(1, office.startedByMe(liS, TaskQuery(text = "5 days"), PageRequest()).items.size)
        assertEquals(BadgeCounts(0u, 0u), office.badgeCounts(zhangS))
        assertTrue(office.verifyAuditChain(admin).intact)
    }

    @Test
    fun `bad input is refused with the error of its kind`() = day {
        // Bad data is refused whole, naming the field; someone without the right cannot start.
        val bad = assertOa<OaException.Validation> { start("bad", "45") }
        assertEquals("data.days", bad.fields.first().path, bad.toString())
        assertEquals("data", assertOa<OaException.Validation> {
            office.startProcess(liS, StartProcess(processKey = "leave", title = "x", data = "{not json"))
        }.fields.single().path)
        assertOa<OaException.PermissionDenied> { office.startProcess(wangS, leave("wang", "1")) }
        assertEquals("task", assertOa<OaException.Validation> { office.approve(zhangS, "not-a-task") }.fields.single().path)
        assertEquals("up_to", assertOa<OaException.Validation> {
            office.processDue(admin, Instant.parse("+300000-01-01T00:00:00Z"))
        }.fields.single().path)
        assertOa<OaException.NotFound> { office.getProcess(admin, "nothing") }
        assertTrue(office.startedByMe(liS, TaskQuery(), PageRequest()).items.isEmpty())
    }

    @Test
    fun `a reject ends the request`() = day {
        val i = start("li: 1 day", "1")
        val inst = office.reject(zhangS, todo(zhangS).single().id, "busy week")
        assertEquals(InstanceStatus.REJECTED, inst.status)
        assertEquals(TaskStatus.REJECTED, office.done(zhangS, TaskQuery(), PageRequest()).items.single().status)
        assertEquals(InstanceStatus.REJECTED, office.instance(liS, i.id).instance.status)
    }

    @Test
    fun `a request returned to its initiator is resubmitted`() = day {
        val i = start("li: 1 day", "1")
        val returned = office.returnTask(zhangS, todo(zhangS).single().id, ReturnTarget.Initiator, "say why")
        assertTrue(returned.returned)
        val resubmitTask = todo(liS).single()
        assertEquals(TaskKind.RESUBMIT, resubmitTask.kind)
        val again = office.resubmit(liS, i.id, """{"days": "1", "reason": "a wedding"}""")
        assertEquals(InstanceStatus.RUNNING, again.status)
        assertTrue(again.data.contains("a wedding"), again.data)
        assertEquals(InstanceStatus.APPROVED, office.approve(zhangS, todo(zhangS).single().id).status)
        assertTrue(office.instance(liS, i.id).history.any { it.action == HistoryAction.RETURNED })
    }

    @Test
    fun `a request nobody acted on is withdrawn`() = day {
        val i = start("li: 1 day", "1")
        assertEquals(InstanceStatus.WITHDRAWN, office.withdraw(liS, i.id).status)
        assertTrue(todo(zhangS).isEmpty())
    }

    @Test
    fun `a task is transferred and approved by its new assignee`() = day {
        start("li: 1 day", "1")
        val t = todo(zhangS).single()
        val handed = office.transfer(zhangS, t.id, wang.id, "wang covers for me")
        assertEquals(wang.id, handed.assignee)
        assertTrue(todo(zhangS).isEmpty())
        assertEquals(handed.id, todo(wangS).single().id)
        assertEquals(InstanceStatus.APPROVED, office.approve(wangS, handed.id).status)
        assertEquals("to", assertOa<OaException.Validation> { office.transfer(zhangS, t.id, "nobody") }.fields.single().path)
    }

    @Test
    fun `a tiny BPMN process is imported and runs`() = day {
        val def = office.importBpmn(admin, MEMO_BPMN, "leave")
        assertEquals("memo", def.key)
        assertEquals("备忘", def.name)
        assertTrue("ok" in def.nodeIds, def.nodeIds.toString())
        val i = office.startProcess(liS, StartProcess(processKey = "memo", title = "memo", data = """{"days": "1", "reason": "x"}"""))
        val t = todo(zhangS).single()
        assertEquals("ok", t.node)
        assertEquals(InstanceStatus.APPROVED, office.approve(zhangS, t.id).status)
        assertEquals(InstanceStatus.APPROVED, office.instance(liS, i.id).instance.status)
    }

    @Test
    fun `process definitions are read back and checked`() = day {
        val leave = office.getProcess(admin, "leave")
        assertEquals("leave", leave.formKey)
        assertEquals(1u, leave.formVersion)
        assertTrue(leave.nodeIds.containsAll(listOf("start", "head", "hr")), leave.nodeIds.toString())
        assertEquals(leave, office.getProcess(admin, "leave", 1u))
        assertEquals(listOf("leave"), office.listProcesses(admin).map { it.key })
        // The graph goes back in as it came out: a new process over the same graph.
        val copy = NewProcess(key = "leave_copy", name = "请假 copy", formKey = "leave", definition = leave.graph)
        assertEquals(emptyList(), office.validateProcess(admin, copy))
        val published = office.publishProcess(admin, copy)
        assertEquals(1u, published.version)
        assertEquals(leave.graph, published.graph)
        assertEquals(published, office.publishProcess(admin, copy), "the same definition changes nothing")
        val v2 = office.publishProcess(admin, copy.copy(name = "请假 v2"))
        assertEquals(listOf(1u, 2u), office.processVersions(admin, "leave_copy").map { it.version })
        assertEquals(v2.nodeIds.size.toUInt(), office.processVersions(admin, "leave_copy").last().nodes)
        // A graph with problems lists them, with paths; text that is no graph names `definition`.
        val broken = leave.graph.replace("\"dept_head\"", "\"role\",\"role\":\"no_such_role\"")
        val problems = office.validateProcess(admin, copy.copy(definition = broken))
        assertTrue(problems.isNotEmpty() && problems.all { it.path.isNotEmpty() }, problems.toString())
        assertOa<OaException.Validation> { office.publishProcess(admin, copy.copy(definition = broken)) }
        assertEquals("definition", assertOa<OaException.Validation> {
            office.validateProcess(admin, copy.copy(definition = "[1, 2"))
        }.fields.single().path)
        assertOa<OaException.PermissionDenied> { office.publishProcessJson(liS, LEAVE_PROCESS) }
    }

    @Test
    fun `drafts are saved, submitted and deleted`() = day {
        val draft = office.saveDraft(liS, null, leave("draft", "1"))
        assertEquals(InstanceStatus.DRAFT, draft.status)
        val again = office.saveDraft(liS, draft.id, leave("draft, edited", "2"))
        assertEquals(draft.id, again.id)
        assertEquals("draft, edited", again.title)
        assertEquals(InstanceStatus.RUNNING, office.submitDraft(liS, draft.id).status)
        val other = office.saveDraft(liS, null, leave("to delete", "1"))
        office.deleteDraft(liS, other.id)
        assertOa<OaException.NotFound> { office.instance(liS, other.id) }
        assertEquals(listOf("draft, edited"), todo(zhangS).map { it.title })
    }

    @Test
    fun `every other operation once`() = day {
        // Comment, urge, signers.
        val i = start("li: 5 days", "5")
        office.comment(liS, i.id, "please")
        assertEquals(1u, office.urge(liS, i.id))
        val t = todo(zhangS).single()
        assertEquals(1u, t.urged)
        val added = office.addSigner(zhangS, t.id, wang.id, SignerPosition.ALONGSIDE)
        assertEquals(wang.id, added.assignee)
        assertEquals(zhang.id, added.addedBy)
        assertEquals(InstanceStatus.RUNNING, office.removeSigner(zhangS, added.id).status)
        assertTrue(todo(wangS).isEmpty())
        val history = office.instance(liS, i.id).history.map { it.action }
        assertTrue(history.containsAll(listOf(HistoryAction.COMMENTED, HistoryAction.URGED, HistoryAction.SIGNER_ADDED, HistoryAction.SIGNER_REMOVED)), history.toString())

        // Monitoring: by business key (no module of this office links any), at a node.
        assertEquals(emptyList(), office.instancesOf(admin, "contract:none"))
        assertEquals(listOf(i.id), office.instancesAtNode(admin, "leave", "head", PageRequest()).items.map { it.id })

        // An administrator moves it to HR, then terminates another.
        val jumped = office.jump(admin, i.id, "hr")
        assertEquals(listOf("hr"), jumped.nodes)
        assertEquals(listOf(i.id), office.instancesAtNode(admin, "leave", "hr", PageRequest()).items.map { it.id })
        val other = start("li: 1 day", "1")
        assertEquals(InstanceStatus.TERMINATED, office.terminate(admin, other.id, "duplicate").status)
        assertOa<OaException.PermissionDenied> { office.terminate(liS, i.id, "mine") }

        // Deadlines: none are due.
        val report = office.processDue(admin, office.now())
        assertEquals(DueReport(emptyList(), emptyList(), emptyList(), emptyList(), 0u), report)

        // Copies: a process that copies wang.
        office.publishProcessJson(admin, NOTICE_PROCESS)
        val n = office.startProcess(liS, leave("notice", "1").copy(processKey = "notice"))
        assertEquals(InstanceStatus.APPROVED, office.approve(zhangS, todo(zhangS).single { it.instance == n.id }.id).status)
        assertEquals(1uL, office.badgeCounts(wangS).ccUnread)
        val cc = office.ccToMe(wangS, TaskQuery(), true, PageRequest()).items.single()
        assertEquals(TaskKind.CC, cc.kind)
        assertEquals(TaskStatus.READ, office.markCcRead(wangS, cc.id).status)
        assertTrue(office.ccToMe(wangS, TaskQuery(), true, PageRequest()).items.isEmpty())
        assertEquals(1, office.ccToMe(wangS, TaskQuery(), false, PageRequest()).items.size)
        assertEquals(0uL, office.badgeCounts(wangS).ccUnread)
    }

    @Test
    fun `pending operations are listed apart from operations`() {
        val pending = pendingOperations()
        assertTrue("start_process" in pending || "start_process" in operations(), pending.toString())
        assertTrue(pending.none { it in operations() }, "no operation is listed twice")
    }

    private companion object {
        fun leave(title: String, days: String, businessKey: String? = null) = StartProcess(
            processKey = "leave", title = title, data = """{"days": "$days", "reason": "family"}""", businessKey = businessKey,
        )

        val LEAVE_FORM = NewForm(
            key = "leave", name = "请假 Leave",
            fields = listOf(
                FieldDef("days", "天数", FieldKind.Number(min = java.math.BigDecimal("0.5"), max = java.math.BigDecimal("30"), decimals = null), required = true),
                FieldDef("reason", "事由", FieldKind.LongText(null, null, null), required = true),
            ),
        )

        val LEAVE_PROCESS = """
            {"key": "leave", "name": "请假审批", "formKey": "leave",
             "process": {"nodeId": "start", "type": "start",
               "childNode": {"nodeId": "head", "type": "approval", "name": "部门负责人",
                 "props": {"approvers": {"strategy": "dept_head"}, "method": "single"},
                 "childNode": {"nodeId": "length", "type": "route",
                   "conditionNodes": [
                     {"nodeId": "long", "condition": "days > 3",
                      "childNode": {"nodeId": "hr", "type": "approval", "name": "人事",
                                    "props": {"approvers": {"strategy": "role", "role": "hr"}, "method": "any"}}},
                     {"nodeId": "short", "default": true}]}}}}
        """.trimIndent()

        val NOTICE_PROCESS = """
            {"key": "notice", "name": "知会", "formKey": "leave",
             "process": {"nodeId": "start", "type": "start",
               "childNode": {"nodeId": "head", "type": "approval", "props": {"approvers": {"strategy": "dept_head"}},
                 "childNode": {"nodeId": "tell_hr", "type": "cc", "props": {"recipients": {"strategy": "people", "people": ["wang"]}}}}}}
        """.trimIndent()

        val MEMO_BPMN = """
            <?xml version="1.0" encoding="UTF-8"?>
            <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
                         xmlns:flowable="http://flowable.org/bpmn" targetNamespace="oa">
              <process id="memo" name="备忘">
                <startEvent id="start"/>
                <sequenceFlow id="f1" sourceRef="start" targetRef="ok"/>
                <userTask id="ok" name="审阅" flowable:assignee="zhang"/>
                <sequenceFlow id="f2" sourceRef="ok" targetRef="end"/>
                <endEvent id="end"/>
              </process>
            </definitions>
        """.trimIndent()
    }
}
