package oa

import java.io.File
import java.math.BigDecimal
import java.nio.file.Path
import java.time.Instant
import kotlin.io.path.createDirectories
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import org.junit.jupiter.api.io.TempDir

/** Each error code provoked for real where it can be, caught as its own sealed subclass. */
class ErrorsTest {
    @TempDir
    lateinit var tmp: Path

    @Test
    fun `validation lists every failing field with its path`() {
        val e = assertOa<OaException.Validation> {
            Office.initMemory(InitOffice(officeName = " ", adminLogin = "a", adminName = "管理员", adminPassword = "short"))
        }
        assertEquals(listOf("office_name", "admin_login", "admin_password"), e.fields.map { it.path })
        assertEquals("validation", e.code())
        assertTrue(e.detail.startsWith("invalid input: office_name: must not be empty"), e.detail)
        assertEquals(e.detail, e.toString())
    }

    @Test
    fun `a text that is not an id is a validation error naming the argument`() {
        memoryOffice().use { office ->
            val s = office.signIn("admin", PW)
            val e = assertOa<OaException.Validation> { office.getPerson(s, "not-an-id") }
            assertEquals("id", e.fields.single().path)
            assertTrue(e.fields.single().reason.contains("`not-an-id` is not a person id"))
            val both = assertOa<OaException.Validation> {
                office.createPerson(s, NewPerson(login = "zhang", name = "张伟", dept = "x", superior = "y"))
            }
            assertEquals(listOf("dept", "superior"), both.fields.map { it.path })
        }
    }

    @Test
    fun `not found names the kind and the id`() {
        memoryOffice().use { office ->
            val s = office.signIn("admin", PW)
            val e = assertOa<OaException.NotFound> { office.getRole(s, "nobody") }
            assertEquals("role", e.kind)
            assertEquals("nobody", e.id)
            assertEquals("not_found", e.code())
        }
    }

    @Test
    fun `permission denied names the permission`() {
        memoryOffice().use { office ->
            val admin = office.signIn("admin", PW)
            office.personWithPassword(admin, "clerk", "科员", office.root(admin).id, "clerk password 1")
            val clerk = office.signIn("clerk", "clerk password 1")
            val e = assertOa<OaException.PermissionDenied> { office.listParams(clerk) }
            assertEquals("admin.param.read", e.permission)
        }
    }

    @Test
    fun `invalid state, incompatible store and storage come from the folder`() {
        val folder = tmp.resolve("office").toString()
        Office.initFolder(folder, InitOffice("办公室", "admin", "管理员", PW)).use { office ->
            assertEquals("sled", office.backend())
            // The folder is held while the office is open.
            assertOa<OaException.IncompatibleStore> { Office.openFolder(folder) }
        }
        assertOa<OaException.InvalidState> { Office.initFolder(folder, InitOffice("办公室", "admin", "管理员", PW)) }
        val empty = tmp.resolve("empty").createDirectories().toString()
        val e = assertOa<OaException.IncompatibleStore> { Office.openFolder(empty) }
        assertTrue(e.detail.contains("no office"), e.detail)
        val file = File(tmp.toFile(), "a-file").apply { writeText("not a folder") }
        val storage = runCatching { Office.openFolder(File(file, "below").path) }.exceptionOrNull()
        assertTrue(storage is OaException.Storage || storage is OaException.IncompatibleStore, "$storage")
    }

    @Test
    fun `unauthenticated for wrong credentials and after sign-out`() {
        memoryOffice().use { office ->
            assertOa<OaException.Unauthenticated> { office.signIn("admin", "wrong password") }
            assertOa<OaException.Unauthenticated> { office.signIn("nobody", PW) }
            val s = office.signIn("admin", PW)
            office.signOut(s)
            assertOa<OaException.Unauthenticated> { office.whoami(s) }
            assertOa<OaException.Unauthenticated> { office.listRoles(Session.fromToken("forged token")) }
        }
    }

    @Test
    fun `account locked after repeated failures, with the instant it opens`() {
        memoryOffice().use { office ->
            val admin = office.signIn("admin", PW)
            office.setParam(admin, "auth.lockout.threshold", ParamValue.Int(2))
            office.personWithPassword(admin, "wang", "王芳", office.root(admin).id, "wang password 1")
            val locked = (1..3).firstNotNullOfOrNull {
                runCatching { office.signIn("wang", "wrong password") }.exceptionOrNull() as? OaException.AccountLocked
            }
            checkNotNull(locked) { "the login locks" }
            assertTrue(Instant.parse(locked.until).isAfter(office.now()))
            assertOa<OaException.AccountLocked> { office.signIn("wang", "wang password 1") }
        }
    }

    @Test
    fun `password change required before anything else`() {
        memoryOffice().use { office ->
            val admin = office.signIn("admin", PW)
            office.createPerson(admin, NewPerson(login = "li", name = "李娜", dept = office.root(admin).id, initialPassword = "initial password 1"))
            val li = office.signIn("li", "initial password 1")
            assertTrue(office.whoami(li).mustChangePassword)
            val me = office.whoami(li).person
            assertOa<OaException.PasswordChangeRequired> { office.effectivePermissions(li, me) }
            office.changePassword(li, "initial password 1", "li's new password")
            assertEquals(emptyList(), office.effectivePermissions(li, me))
        }
    }

    @Test
    fun `closed office refuses every call, and a released handle throws without a crash`() {
        val office = memoryOffice()
        val s = office.signIn("admin", PW)
        office.closeOffice()
        assertTrue(office.isClosed())
        assertOa<OaException.Closed> { office.whoami(s) }
        assertOa<OaException.Closed> { office.signIn("admin", PW) }
        office.close()
        assertFailsWith<IllegalStateException> { office.whoami(s) }
    }

    @Test
    fun `conflict and internal cannot be provoked from outside and are checked through samples`() {
        val conflict = assertOa<OaException.Conflict> { sampleError("conflict") }
        assertEquals("conflict", conflict.code())
        val internal = assertOa<OaException.Internal> { sampleError("internal") }
        assertEquals("internal", internal.code())
        val v = assertOa<OaException.Validation> { sampleError("validation") }
        assertEquals(listOf("login", "rows[3].email"), v.fields.map { it.path })
        val nf = assertOa<OaException.NotFound> { sampleError("not_found") }
        assertEquals("person", nf.kind)
        val pd = assertOa<OaException.PermissionDenied> { sampleError("permission_denied") }
        assertEquals("outside your data scope", pd.reason)
        assertEquals("code", assertOa<OaException.Validation> { sampleError("nonsense") }.fields.single().path)
    }

    @Test
    fun `a decimal the core cannot hold is a validation error, not a crash`() {
        val e = assertOa<OaException.Validation> { decimalRoundTrip(BigDecimal("1e40")) }
        assertEquals("decimal", e.fields.single().path)
    }

    @Test
    fun `an instant outside the core's range is a validation error naming the field`() {
        memoryOffice().use { office ->
            val s = office.signIn("admin", PW)
            val e = assertOa<OaException.Validation> { office.listAudit(s, AuditQuery(from = Instant.MAX, to = Instant.MIN), PageRequest()) }
            assertEquals(listOf("from", "to"), e.fields.map { it.path })
        }
    }

    @Test
    fun `a wrong kind of parameter value names what is allowed`() {
        memoryOffice().use { office ->
            val s = office.signIn("admin", PW)
            val e = assertOa<OaException.Validation> { office.setParam(s, "auth.lockout.threshold", ParamValue.Text("five")) }
            assertEquals("value", e.fields.single().path)
            assertOa<OaException.Validation> { parseParamValue("auth.lockout.threshold", "five") }
            assertOa<OaException.Validation> { office.setParam(s, "no.such.key", ParamValue.Bool(true)) }
        }
    }
}
