package oa

import java.math.BigDecimal
import java.nio.file.Path
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertTrue
import org.junit.jupiter.api.io.TempDir

/**
 * One office from start to finish on disk: initialise it, import the organisation, sign in as
 * different people, grant roles, check permissions, read the audit log, verify the chain, close
 * it and open it again.
 */
class ScenarioTest {
    @TempDir
    lateinit var tmp: Path

    @Test
    fun `an office from initialisation to reopening`() {
        val folder = tmp.resolve("市政府办公厅").toString()
        val init = InitOffice(officeName = "市政府办公厅", adminLogin = "admin", adminName = "管理员", adminPassword = PW)
        Office.initFolder(folder, init).use { office ->
            val admin = office.signIn("admin", PW)

            // The organisation, from the HR system's export.
            val report = office.importOrgCsv(
                admin,
                """
                code,name,parent_code,sort_order
                GEN,综合处,,1
                FIN,财务处,,2
                FIN-B,预算科,FIN,
                """.trimIndent().toByteArray(),
                """
                login,name,dept_code,position,superior_login,password
                chen,陈静,FIN,处长,,chen first password
                zhou,周强,FIN-B,科员,chen,zhou first password
                wu,吴磊,GEN,科员,,
                """.trimIndent().toByteArray(),
            )
            assertEquals(3u, report.departmentsCreated)
            assertEquals(3u, report.peopleCreated)

            // First sign-ins change the initial passwords.
            for (login in listOf("chen", "zhou")) {
                val s = office.signIn(login, "$login first password")
                assertTrue(office.whoami(s).mustChangePassword)
                office.changePassword(s, "$login first password", "$login chosen password")
            }
            val chen = office.signIn("chen", "chen chosen password")
            val zhou = office.signIn("zhou", "zhou chosen password")
            assertOa<OaException.PermissionDenied> { office.listDepartments(zhou) }

            // The head of finance reads people of her own department and below.
            val fin = office.listDepartments(admin).single { it.code == "FIN" }
            val gen = office.listDepartments(admin).single { it.code == "GEN" }
            val chenId = office.whoami(chen).person
            office.setDepartmentHead(admin, fin.id, chenId)
            office.createRole(admin, NewRole(code = "dept_reader", name = "部门查阅", dataScope = DataScope.OwnDeptAndBelow, permissions = listOf("org.person.read")))
            office.grantRole(admin, NewGrant(person = chenId, role = "dept_reader"))
            val zhouId = office.whoami(zhou).person
            assertTrue(office.checkPermission(chen, "org.person.read", dept = fin.id))
            assertFalse(office.checkPermission(chen, "org.person.read", dept = gen.id))
            assertEquals("周强", office.getPerson(chen, zhouId).name)
            val wu = office.findPersonByLogin(admin, "wu")
            assertOa<OaException.PermissionDenied> { office.getPerson(chen, wu.id) }
            assertEquals(chenId, office.headAbove(admin, zhouId, 1u)?.id)
            assertEquals(listOf("chen"), office.superiorsOf(chen, zhouId).map { it.login })

            // The base currency is a parameter; amounts cross as exact decimals.
            office.setParam(admin, "office.base_currency", ParamValue.Text("CNY"))
            assertEquals(BigDecimal("1234567.89"), decimalRoundTrip(BigDecimal("1234567.89")))

            // The audit log saw it all, including the refusals.
            val denied = office.listAudit(admin, AuditQuery(actor = chenId), PageRequest(limit = 100u)).items.filter { it.outcome == AuditOutcome.DENIED }
            assertEquals(1, denied.size)
            val report2 = office.verifyAuditChain(admin)
            assertTrue(report2.intact, report2.problem)

            office.closeOffice()
            assertOa<OaException.Closed> { office.whoami(admin) }
        }

        // Everything is still there after reopening the folder.
        Office.openFolder(folder).use { office ->
            val admin = office.signIn("admin", PW)
            assertEquals(4, office.listDepartments(admin).size)
            assertEquals("dept_reader", office.getRole(admin, "dept_reader").code)
            val chen = office.signIn("chen", "chen chosen password")
            assertTrue(office.checkPermission(chen, "org.person.read"))
            assertTrue(office.verifyAuditChain(admin).intact)
        }
    }
}
