package oa

import java.time.Instant
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** Parameters and the audit log. */
class ParamsAuditTest {
    @Test
    fun `parameters list, read, set and reset with their kinds`() {
        memoryOffice("文化局").use { office ->
            val s = office.signIn("admin", PW)
            val all = office.listParams(s).associateBy { it.def.key }
            assertEquals(ParamValue.Text("文化局"), all.getValue("office.name").value)
            assertEquals(ParamKind.Int(1, 100), all.getValue("auth.lockout.threshold").def.kind)
            assertEquals(ParamKind.Currency, all.getValue("office.base_currency").def.kind)
            assertTrue(all.getValue("auth.password.policy").def.kind is ParamKind.Choice)
            assertEquals(ParamValue.Bool(false), all.getValue("security.separation_of_duties").def.defaultValue)

            val threshold = office.getParam(s, "auth.lockout.threshold")
            assertTrue(threshold.isDefault)
            assertEquals(ParamValue.Int(5), threshold.value)
            val set = office.setParam(s, "auth.lockout.threshold", parseParamValue("auth.lockout.threshold", " 7 "))
            assertEquals(ParamValue.Int(7), set.value)
            assertFalse(set.isDefault)
            assertEquals(ParamValue.Text("EUR"), office.setParam(s, "office.base_currency", parseParamValue("office.base_currency", "eur")).value)
            val reset = office.resetParam(s, "auth.lockout.threshold")
            assertTrue(reset.isDefault)
            assertEquals(ParamValue.Int(5), reset.value)
            assertOa<OaException.NotFound> { office.getParam(s, "no.such.key") }
        }
    }

    @Test
    fun `the audit log pages newest first, filters, and its chain verifies`() {
        memoryOffice().use { office ->
            val started = office.now()
            val s = office.signIn("admin", PW)
            val me = office.whoami(s)
            val dept = office.createDepartment(s, NewDepartment(name = "财务处", parent = office.root(s).id))
            office.createPerson(s, NewPerson(login = "zhang", name = "张伟", dept = dept.id))

            val first = office.getAuditRecord(s, 1uL)
            assertEquals("office.init", first.operation)
            assertEquals("0".repeat(64), first.prevHash)
            assertEquals(AuditOutcome.SUCCESS, first.outcome)

            val page = office.listAudit(s, AuditQuery(), PageRequest(limit = 2u))
            assertEquals(2, page.items.size)
            assertTrue(page.items[0].seq > page.items[1].seq, "newest first")
            val rest = office.listAudit(s, AuditQuery(), PageRequest(cursor = page.nextCursor, limit = 100u))
            assertNull(rest.nextCursor)
            assertEquals(page.items.last().seq - 1uL, rest.items.first().seq)

            val created = office.listAudit(s, AuditQuery(operation = "org.person.create", actor = me.person), PageRequest())
            assertEquals(1, created.items.size)
            assertEquals("admin", created.items.single().actorLogin)
            assertEquals(me.sessionId, created.items.single().session)
            val since = office.listAudit(s, AuditQuery(from = started.minusSeconds(60), to = Instant.now().plusSeconds(60)), PageRequest())
            assertTrue(since.items.isNotEmpty())
            assertEquals(0, office.listAudit(s, AuditQuery(to = started.minusSeconds(3600)), PageRequest()).items.size)

            val report = office.verifyAuditChain(s)
            assertTrue(report.intact)
            assertNull(report.firstMismatch)
            assertTrue(report.checked >= 4uL)
            assertEquals(64, report.headHash.length)
        }
    }
}
