package oa

import java.math.BigDecimal
import java.time.Duration
import java.time.Instant
import java.time.ZoneOffset
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertNotEquals
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

/**
 * Running the workflow as an office: the sales head away with his approvals going to his
 * deputy (委托), a request handed to a colleague to check and given back or taken back (委派),
 * the monitor's screens (counts, waits, overdue and stuck requests, time per node), a task
 * reassigned by the administrator (改派), requests moved to a corrected process version
 * (版本迁移), and purchase orders followed through the feed of their endings (业务类型).
 *
 * The library runs on the system clock, so deadlines are read at an explicit instant a month
 * ahead instead of waiting for them.
 */
class WorkflowAdminTest {
    /** Sales: zhang heads it; li asks for leave; wang is zhang's deputy; chen a colleague. */
    private class Day(val office: Office) {
        val admin = office.signIn("admin", PW)
        val morning: Instant = office.now()
        private val root = office.root(admin)
        val sales = office.createDepartment(admin, NewDepartment(name = "Sales", parent = root.id))
        val zhang = office.personWithPassword(admin, "zhang", "张伟", sales.id)
        val li = office.personWithPassword(admin, "li", "李娜", sales.id)
        val wang = office.personWithPassword(admin, "wang", "王芳", sales.id)
        val chen = office.personWithPassword(admin, "chen", "陈静", sales.id)
        val zhangS: Session
        val liS: Session
        val wangS: Session
        val chenS: Session

        init {
            office.setDepartmentHead(admin, sales.id, zhang.id)
            office.createRole(admin, NewRole(code = "staff", name = "Staff", dataScope = DataScope.SelfOnly, permissions = listOf("workflow.instance.start")))
            office.grantRole(admin, NewGrant(person = li.id, role = "staff"))
            zhangS = office.signIn("zhang", "zhang's own password")
            liS = office.signIn("li", "li's own password")
            wangS = office.signIn("wang", "wang's own password")
            chenS = office.signIn("chen", "chen's own password")
            office.defineForm(admin, LEAVE_FORM)
            assertEquals(1u, office.publishProcessJson(admin, leaveProcess()).version)
        }

        fun start(title: String, businessKey: String? = null) = office.startProcess(
            liS, StartProcess(processKey = "leave", title = title, data = """{"days": "1", "reason": "family"}""", businessKey = businessKey),
        )

        fun todo(s: Session) = office.todo(s, TaskQuery(), PageRequest()).items

        fun task(s: Session, instance: String) = todo(s).single { it.instance == instance }

        fun history(instance: String) = office.instance(admin, instance).history.map { it.action }

        fun taskById(instance: String, id: String) = office.instance(admin, instance).tasks.single { it.id == id }
    }

    private fun day(block: Day.() -> Unit) = memoryOffice().use { Day(it).block() }

    @Test
    fun `the head is away and his deputy approves for him`() = day {
        // Away from yesterday to the day after tomorrow, whatever the office's time zone.
        val today = java.time.LocalDate.now(ZoneOffset.UTC)
        val away = office.createDelegation(zhangS, NewDelegation(
            delegate = wang.id, firstDay = today.minusDays(1), lastDay = today.plusDays(2),
            processKey = "leave", reason = "出差 business trip",
        ))
        assertEquals(zhang.id, away.owner)
        assertEquals(zhang.id, away.createdBy)
        assertEquals(today.minusDays(1), away.firstDay)
        assertTrue(away.startsAt < away.endsAt)
        assertNull(away.cancelledAt)
        assertEquals(listOf(away), office.myDelegations(zhangS, PageRequest()).items)
        assertEquals(listOf(away), office.delegationsToMe(wangS, PageRequest()).items)
        assertEquals(listOf(away.id), office.allDelegations(admin, PageRequest()).items.map { it.id })
        assertOa<OaException.PermissionDenied> { office.allDelegations(liS, PageRequest()) }

        // li's request goes to wang, for zhang; zhang has nothing to do.
        val i = start("li: Tuesday")
        val forZhang = task(wangS, i.id)
        assertEquals(zhang.id, forZhang.onBehalfOf)
        assertNull(forZhang.delegatedFrom)
        assertTrue(todo(zhangS).isEmpty())
        assertTrue(HistoryAction.REDIRECTED in history(i.id))
        assertEquals(InstanceStatus.APPROVED, office.approve(wangS, forZhang.id, "代 zhang 同意").status)

        // Back at his desk zhang reads what was done for him, and cancels the rest of the trip.
        val done = office.tasksOnMyBehalf(zhangS, TaskQuery(), PageRequest()).items.single()
        assertEquals(Triple(i.id, wang.id, TaskStatus.APPROVED), Triple(done.instance, done.assignee, done.status))
        val cancelled = office.cancelDelegation(zhangS, away.id)
        assertNotNull(cancelled.cancelledAt)
        assertEquals(zhang.id, cancelled.cancelledBy)
        val next = start("li: Friday")
        assertNull(task(zhangS, next.id).onBehalfOf)
        assertTrue(todo(wangS).isEmpty())
        assertOa<OaException.InvalidState> { office.cancelDelegation(zhangS, away.id) }
    }

    @Test
    fun `a request is handed to a colleague to check and given back`() = day {
        val i = start("li: 1 day")
        val mine = task(zhangS, i.id)
        val given = office.delegateTask(zhangS, mine.id, chen.id, "请核实")
        assertEquals(chen.id, given.assignee)
        assertEquals(mine.id, given.delegatedFrom)
        // zhang's task waits, delegated: still in his list, no longer on his badge.
        assertEquals(TaskStatus.DELEGATED, task(zhangS, i.id).status)
        assertEquals(0uL, office.badgeCounts(zhangS).todo)
        assertEquals(1uL, office.badgeCounts(chenS).todo)

        // chen may only resolve it: the decision stays zhang's.
        assertOa<OaException.InvalidState> { office.reject(chenS, given.id, "no") }
        assertEquals(InstanceStatus.RUNNING, office.approve(chenS, given.id, "核实无误").status)
        assertEquals(TaskStatus.RESOLVED, taskById(i.id, given.id).status)
        val back = task(zhangS, i.id)
        assertEquals(Pair(mine.id, TaskStatus.PENDING), Pair(back.id, back.status))
        assertEquals(InstanceStatus.APPROVED, office.approve(zhangS, back.id, "同意").status)
        assertTrue(history(i.id).containsAll(listOf(HistoryAction.DELEGATED, HistoryAction.RESOLVED)))
    }

    @Test
    fun `a request handed to a colleague is taken back before it is checked`() = day {
        val i = start("li: 1 day")
        val mine = task(zhangS, i.id)
        val given = office.delegateTask(zhangS, mine.id, chen.id)
        val back = office.takeBackTask(zhangS, mine.id)
        assertEquals(Pair(mine.id, TaskStatus.PENDING), Pair(back.id, back.status))
        assertTrue(todo(chenS).isEmpty())
        assertNotEquals(TaskStatus.PENDING, taskById(i.id, given.id).status)
        assertOa<OaException.InvalidState> { office.approve(chenS, given.id) }
        assertOa<OaException.InvalidState> { office.takeBackTask(zhangS, mine.id) }
        assertTrue(HistoryAction.TAKEN_BACK in history(i.id))
        assertEquals(1uL, office.badgeCounts(zhangS).todo)
    }

    @Test
    fun `the monitor counts where requests wait, how long, and which are overdue`() = day {
        val first = start("li: Monday")
        val second = start("li: Tuesday")
        val counts = office.nodeCounts(admin, "leave")
        assertEquals(listOf("head"), counts.map { it.node })
        assertEquals(2uL, counts.single().waiting)
        assertTrue(counts.single().oldestEnteredAt >= morning)
        val waits = office.waitingAtNode(admin, "leave", "head", PageRequest()).items
        assertEquals(listOf(first.id, second.id), waits.map { it.instance }, "longest waiting first")
        assertTrue(waits.all { it.assignees == listOf(zhang.id) && it.processVersion == 1u }, waits.toString())
        assertEquals(listOf("head"), office.instance(admin, first.id).instance.tokens.map { it.node })
        assertNotNull(office.instance(admin, first.id).instance.tokens.single().enteredAt)

        // The node's deadline is a working day away: nothing is overdue now, both are in a month.
        val t = task(zhangS, first.id)
        val deadline = assertNotNull(t.deadlineAt)
        assertTrue(deadline > t.createdAt)
        assertTrue(office.overdueTasks(admin, null, null, PageRequest()).items.isEmpty())
        val inAMonth = office.now().plus(Duration.ofDays(30))
        val overdue = office.overdueTasks(admin, "leave", inAMonth, PageRequest()).items
        assertEquals(setOf(first.id, second.id), overdue.map { it.task.instance }.toSet())
        assertTrue(overdue.all { it.overdueSeconds > 0uL && it.task.deadlineAt != null }, overdue.toString())

        // A reminder goes out; it moves when the deadline is next handled, never the deadline.
        val report = office.processDue(admin, inAMonth)
        assertTrue(t.id in report.reminded, report.toString())
        assertEquals(deadline, taskById(first.id, t.id).deadlineAt)
        assertTrue(HistoryAction.REMINDED in history(first.id))

        // Once zhang approves, the node's times show both approvals.
        office.approve(zhangS, t.id)
        office.approve(zhangS, task(zhangS, second.id).id)
        assertTrue(office.nodeCounts(admin, "leave").isEmpty())
        val times = office.nodeTimes(admin, "leave", morning, office.now().plusSeconds(1)).single()
        assertEquals(Triple("head", "部门负责人", 2uL), Triple(times.node, times.nodeName, times.completed))
        assertTrue(times.p90Seconds >= times.avgSeconds && times.p90WorkingMinutes >= times.avgWorkingMinutes, times.toString())
        assertTrue(office.nodeTimes(admin, "leave", morning.minusSeconds(3600), morning).isEmpty())
        assertOa<OaException.PermissionDenied> { office.nodeCounts(liS, "leave") }
    }

    @Test
    fun `a request stuck with a disabled approver is reassigned`() = day {
        val i = start("li: 1 day")
        val t = task(zhangS, i.id)
        assertTrue(office.stuckInstances(admin, null, PageRequest()).items.isEmpty())
        office.disablePerson(admin, zhang.id)
        val stuck = office.stuckInstances(admin, "leave", PageRequest()).items.single()
        assertEquals(Triple(i.id, "head", StuckReason.NO_ACTIVE_ASSIGNEE), Triple(stuck.instance, stuck.node, stuck.reason))
        assertEquals(listOf(zhang.id), stuck.assignees)

        // The administrator gives the seat, with its deadline, to wang.
        val moved = office.reassignTask(admin, t.id, wang.id, "张伟 is disabled")
        assertEquals(wang.id, moved.assignee)
        assertEquals(t.seat, moved.seat)
        assertEquals(t.deadlineAt, moved.deadlineAt)
        assertEquals(TaskStatus.TRANSFERRED, taskById(i.id, t.id).status)
        assertTrue(HistoryAction.REASSIGNED in history(i.id))
        assertTrue(office.stuckInstances(admin, null, PageRequest()).items.isEmpty())
        assertEquals(InstanceStatus.APPROVED, office.approve(wangS, moved.id).status)
        assertOa<OaException.InvalidState> { office.reassignTask(admin, moved.id, chen.id, "too late") }
        assertOa<OaException.PermissionDenied> { office.reassignTask(liS, t.id, chen.id, "mine") }
    }

    @Test
    fun `a reviewer who leaves before their turn is replaced in the in-turn queue`() = day {
        fun fields(block: () -> Unit) = assertOa<OaException.Validation>(block).fields.map { it.path }
        // Version 2: zhang, then chen, then wang, one after another (依次).
        val inTurn = """
            {"key": "leave", "name": "请假审批", "formKey": "leave",
             "process": {"nodeId": "start", "type": "start",
               "childNode": {"nodeId": "head", "type": "approval", "name": "审核",
                 "props": {"approvers": {"strategy": "people", "people": ["${zhang.id}", "${chen.id}", "${wang.id}"]},
                           "method": "in_turn"}}}}
        """.trimIndent()
        assertEquals(2u, office.publishProcessJson(admin, inTurn).version)
        val i = start("li: three reviewers")
        assertEquals(listOf(chen.id, wang.id), i.tokens.single().inTurn)
        office.disablePerson(admin, chen.id)
        // The monitor lists it: it still moves, but will stop at chen's turn.
        val stuck = office.stuckInstances(admin, "leave", PageRequest()).items.single()
        assertEquals(listOf(i.id, "head"), listOf(stuck.instance, stuck.node))
        assertEquals(StuckReason.INACTIVE_IN_QUEUE, stuck.reason)
        assertEquals(listOf(chen.id), stuck.assignees)

        // Zhang holds a task already (reassignTask moves that); wang waits in the queue already.
        assertEquals(listOf("from"), fields { office.reassignTurn(admin, i.id, zhang.id, li.id, "zhang holds a task") })
        assertEquals(listOf("to"), fields { office.reassignTurn(admin, i.id, chen.id, wang.id, "wang waits already") })
        assertEquals(listOf("instance", "from"), fields { office.reassignTurn(admin, "i", "p", li.id, "why") })
        assertOa<OaException.PermissionDenied> { office.reassignTurn(liS, i.id, chen.id, li.id, "mine") }

        val moved = office.reassignTurn(admin, i.id, chen.id, li.id, "陈静 left the company")
        assertEquals(listOf(li.id, wang.id), moved.tokens.single().inTurn)
        assertTrue(office.stuckInstances(admin, null, PageRequest()).items.isEmpty())
        assertTrue(HistoryAction.REASSIGNED in history(i.id))

        // The turns go zhang, li, wang.
        office.approve(zhangS, task(zhangS, i.id).id)
        office.approve(liS, task(liS, i.id).id)
        assertEquals(InstanceStatus.APPROVED, office.approve(wangS, task(wangS, i.id).id).status)
        assertOa<OaException.InvalidState> { office.reassignTurn(admin, i.id, wang.id, li.id, "too late") }
    }

    @Test
    fun `running requests move to the corrected version of the process`() = day {
        val first = start("li: Monday")
        val second = start("li: Tuesday")
        // Version 2 copies wang once the head approves; the head node is the same.
        assertEquals(2u, office.publishProcessJson(admin, leaveProcess(copyWang = true)).version)
        val moved = office.migrateInstance(admin, first.id, 2u)
        assertEquals(2u, moved.processVersion)
        assertEquals(listOf("head"), moved.nodes)
        assertTrue(HistoryAction.MIGRATED in history(first.id))
        assertEquals(MigrationReport(migrated = listOf(second.id), refused = emptyList()), office.migrateInstances(admin, "leave", 1u, 2u))

        // From its next step a moved request follows version 2: wang gets his copy.
        office.approve(zhangS, task(zhangS, first.id).id)
        assertEquals(listOf(first.id), office.ccToMe(wangS, TaskQuery(), false, PageRequest()).items.map { it.instance })

        // Version 3 renames the head node: the request waiting there cannot move, and says why.
        assertEquals(3u, office.publishProcessJson(admin, leaveProcess(headId = "manager")).version)
        val refused = assertOa<OaException.Validation> { office.migrateInstance(admin, second.id, 3u) }
        assertEquals(listOf("nodes[head]"), refused.fields.map { it.path })
        val report = office.migrateInstances(admin, "leave", 2u, 3u)
        assertEquals(emptyList(), report.migrated)
        val why = report.refused.single()
        assertEquals(Triple(second.id, "validation", listOf("nodes[head]")), Triple(why.instance, why.code, why.fields.map { it.path }))
        assertEquals(2u, office.instance(admin, second.id).instance.processVersion)
    }

    @Test
    fun `purchase orders follow their requests through the feed of endings`() = day {
        val type = office.declareBusinessType(admin, "purchase", "采购单 purchase orders")
        assertEquals(Triple("purchase", 0uL, office.whoami(admin).person), Triple(type.prefix, type.lastSeq, type.declaredBy))
        assertEquals(listOf("purchase"), office.businessTypes(admin).map { it.prefix })

        val approved = start("PO-2026-001: laptops", businessKey = "purchase:PO-2026-001")
        val rejected = start("PO-2026-002: a yacht", businessKey = "purchase:PO-2026-002")
        assertEquals(listOf(approved.id), office.instancesOf(admin, "purchase:PO-2026-001").map { it.id })
        assertTrue(office.businessEvents(admin, "purchase").isEmpty(), "nothing has ended yet")
        office.approve(zhangS, task(zhangS, approved.id).id)
        office.reject(zhangS, task(zhangS, rejected.id).id, "no yachts")

        // The application reads the feed, handles it, and asks again after the last it handled.
        val feed = office.businessEvents(admin, "purchase")
        assertEquals(listOf(1uL, 2uL), feed.map { it.seq })
        assertEquals(listOf("purchase:PO-2026-001", "purchase:PO-2026-002"), feed.map { it.businessKey })
        assertEquals(listOf(InstanceStatus.APPROVED, InstanceStatus.REJECTED), feed.map { it.outcome })
        assertEquals(listOf(approved.id, rejected.id), feed.map { it.instance })
        assertTrue(feed.all { it.initiator == li.id && it.processKey == "leave" })
        assertEquals(listOf(feed[1]), office.businessEvents(admin, "purchase", afterSeq = 1uL))
        assertEquals(listOf(feed[0]), office.businessEvents(admin, "purchase", limit = 1u))
        assertTrue(office.businessEvents(admin, "purchase", afterSeq = 2uL).isEmpty())
        assertEquals(2uL, office.businessTypes(admin).single().lastSeq)

        // A business key of an undeclared type is refused at start.
        val e = assertOa<OaException.Validation> { start("INV-1", businessKey = "invoice:INV-1") }
        assertEquals(listOf("business_key"), e.fields.map { it.path })
        assertOa<OaException.PermissionDenied> { office.declareBusinessType(liS, "mine") }
    }

    @Test
    fun `bad input is a typed error naming each field`() = day {
        val today = java.time.LocalDate.now(ZoneOffset.UTC)
        val far = Instant.parse("+300000-01-01T00:00:00Z")
        fun fields(block: () -> Unit) = assertOa<OaException.Validation>(block).fields.map { it.path }

        assertEquals(listOf("owner", "delegate"), fields {
            office.createDelegation(zhangS, NewDelegation(delegate = "nobody", firstDay = today, lastDay = today, owner = "x"))
        })
        assertEquals(listOf("delegate"), fields {
            office.createDelegation(zhangS, NewDelegation(delegate = zhang.id, firstDay = today, lastDay = today.plusDays(1)))
        })
        assertEquals(listOf("last_day"), fields {
            office.createDelegation(zhangS, NewDelegation(delegate = wang.id, firstDay = today.plusDays(3), lastDay = today.plusDays(1)))
        })
        assertEquals(listOf("last_day"), fields {
            office.createDelegation(zhangS, NewDelegation(delegate = wang.id, firstDay = today.minusDays(9), lastDay = today.minusDays(5)))
        })
        assertEquals(listOf("process_key"), fields {
            office.createDelegation(zhangS, NewDelegation(delegate = wang.id, firstDay = today, lastDay = today.plusDays(1), processKey = "nothing"))
        })
        // A date beyond the years oa keeps (±262143) is refused as a date.
        assertEquals(listOf("date"), fields {
            office.createDelegation(zhangS, NewDelegation(delegate = wang.id, firstDay = today, lastDay = java.time.LocalDate.of(999999, 1, 1)))
        })
        assertEquals(listOf("id"), fields { office.cancelDelegation(zhangS, "not-a-delegation") })
        assertEquals(listOf("task", "to"), fields { office.delegateTask(zhangS, "t", "p") })
        assertEquals(listOf("task"), fields { office.takeBackTask(zhangS, "t") })
        assertEquals(listOf("task", "to"), fields { office.reassignTask(admin, "t", "p", "why") })
        assertEquals(listOf("instance"), fields { office.migrateInstance(admin, "i", 2u) })
        assertEquals(listOf("to_version"), fields { office.migrateInstances(admin, "leave", 1u, 1u) })
        assertEquals(listOf("to_version"), fields { office.migrateInstances(admin, "leave", 1u, 9u) })
        assertEquals(listOf("from", "to"), fields { office.nodeTimes(admin, "leave", far, far) })
        assertEquals(listOf("at"), fields { office.overdueTasks(admin, null, far, PageRequest()) })
        assertEquals(listOf("prefix"), fields { office.declareBusinessType(admin, "no spaces", "") })
        assertEquals(listOf("limit"), fields { office.businessEvents(admin, "purchase", limit = 5000u) })

        // Unknown records are not found; a task that is not the caller's to act on is refused.
        assertOa<OaException.NotFound> { office.nodeCounts(admin, "nothing") }
        assertOa<OaException.NotFound> { office.migrateInstances(admin, "nothing", 1u, 2u) }
        val i = start("li: 1 day")
        assertOa<OaException.PermissionDenied> { office.delegateTask(wangS, task(zhangS, i.id).id, chen.id) }
        assertTrue(office.verifyAuditChain(admin).intact)
    }

    private companion object {
        val LEAVE_FORM = NewForm(
            key = "leave", name = "请假 Leave",
            fields = listOf(
                FieldDef("days", "天数", FieldKind.Number(min = BigDecimal("0.5"), max = BigDecimal("30"), decimals = null), required = true),
                FieldDef("reason", "事由", FieldKind.LongText(null, null, null), required = true),
            ),
        )

        /**
         * The leave process: the department head approves within a working day (a reminder
         * then); with [copyWang], wang gets a copy once approved.
         */
        fun leaveProcess(headId: String = "head", copyWang: Boolean = false): String {
            val copy = if (copyWang) {
                """, "childNode": {"nodeId": "tell_wang", "type": "cc", "props": {"recipients": {"strategy": "people", "people": ["wang"]}}}"""
            } else ""
            return """
                {"key": "leave", "name": "请假审批", "formKey": "leave",
                 "process": {"nodeId": "start", "type": "start",
                   "childNode": {"nodeId": "$headId", "type": "approval", "name": "部门负责人",
                     "props": {"approvers": {"strategy": "dept_head"}, "method": "single",
                               "deadline": {"after": {"amount": 1, "unit": "days"}, "action": "remind"}}$copy}}}
            """.trimIndent()
        }
    }
}
