package oa

import java.time.Instant
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotEquals
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** Signing in, sessions and passwords. */
class AuthTest {
    @Test
    fun `sign in, whoami and sign out`() {
        memoryOffice().use { office ->
            assertEquals("memory", office.backend())
            assertFalse(office.isClosed())
            val s = office.signIn("ADMIN", PW)
            val me = office.whoami(s)
            assertEquals("admin", me.login)
            assertEquals("管理员", me.name)
            assertEquals(office.root(s).id, me.dept)
            assertTrue("audit.log.verify" in me.permissions)
            assertFalse(me.mustChangePassword)
            assertTrue(me.sessionExpiresAt.isAfter(Instant.now()))
            assertNull(me.passwordExpiresAt)
            office.signOut(s)
            assertOa<OaException.Unauthenticated> { office.whoami(s) }
        }
    }

    @Test
    fun `a session resumes from its token`() {
        memoryOffice().use { office ->
            val s = office.signIn("admin", PW)
            val again = Session.fromToken(s.token())
            assertEquals("admin", office.whoami(again).login)
            assertFalse(s.toString().contains(s.token()), "the token is not shown")
        }
    }

    @Test
    fun `list, revoke one and revoke every session`() {
        memoryOffice().use { office ->
            val s = office.signIn("admin", PW)
            val other = office.signIn("admin", PW)
            val me = office.whoami(s)
            val sessions = office.listSessions(s, me.person)
            assertEquals(2, sessions.size)
            assertEquals(me.sessionId, sessions.single { it.current }.id)
            val otherId = sessions.single { !it.current }.id
            office.revokeSession(s, otherId)
            assertOa<OaException.Unauthenticated> { office.whoami(other) }
            val third = office.signIn("admin", PW)
            assertEquals(2u, office.revokeSessionsOf(s, me.person))
            assertOa<OaException.Unauthenticated> { office.whoami(third) }
            assertOa<OaException.Validation> { office.revokeSession(office.signIn("admin", PW), "bad id") }
        }
    }

    @Test
    fun `change and reset passwords`() {
        memoryOffice().use { office ->
            val admin = office.signIn("admin", PW)
            val zhang = office.personWithPassword(admin, "zhang", "张伟", office.root(admin).id, "zhang password 1")
            val s = office.signIn("zhang", "zhang password 1")
            val bad = assertOa<OaException.Validation> { office.changePassword(s, "zhang password 1", "short") }
            assertEquals("new_password", bad.fields.single().path)
            office.changePassword(s, "zhang password 1", "zhang password 2")
            assertNotEquals(null, office.whoami(s).passwordChangedAt)
            office.resetPassword(admin, zhang.id, "temporary password 9")
            assertOa<OaException.Unauthenticated> { office.whoami(s) }
            val t = office.signIn("zhang", "temporary password 9")
            assertTrue(office.whoami(t).mustChangePassword)
        }
    }

    @Test
    fun `password rules and policy checks without a store`() {
        val owasp = passwordRules(PasswordPolicyPreset.OWASP)
        assertEquals(8u, owasp.minChars)
        assertNull(owasp.maxAgeDays)
        val dengbao = passwordRules(PasswordPolicyPreset.DENGBAO3)
        assertEquals(3u, dengbao.minKinds)
        checkPasswordPolicy(PasswordPolicyPreset.OWASP, "long enough password", "password")
        val e = assertOa<OaException.Validation> { checkPasswordPolicy(PasswordPolicyPreset.DENGBAO3, "alllowercase", "pw") }
        assertTrue(e.fields.all { it.path == "pw" })
    }
}
