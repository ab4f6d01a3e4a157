package oa

import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertTrue

/** Permissions, roles, grants and data scopes. */
class PermTest {
    @Test
    fun `the catalogue lists permissions with their family`() {
        memoryOffice().use { office ->
            val s = office.signIn("admin", PW)
            val perms = office.listPermissions(s).associateBy { it.name }
            assertEquals(PermCategory.SYSTEM, perms.getValue("org.person.read").category)
            assertEquals(PermCategory.SECURITY, perms.getValue("perm.grant.manage").category)
            assertEquals(PermCategory.AUDIT, perms.getValue("audit.log.read").category)
        }
    }

    @Test
    fun `roles are created, changed, granted within a subtree, checked, revoked and deleted`() {
        memoryOffice().use { office ->
            val s = office.signIn("admin", PW)
            val root = office.root(s)
            val finance = office.createDepartment(s, NewDepartment(name = "财务处", parent = root.id))
            val audit = office.createDepartment(s, NewDepartment(name = "审计科", parent = finance.id))
            val it = office.createDepartment(s, NewDepartment(name = "信息中心", parent = root.id))
            val clerk = office.personWithPassword(s, "clerk", "科员", finance.id, "clerk password 1")

            val role = office.createRole(
                s,
                NewRole(code = "reader", name = "查阅员", dataScope = DataScope.OwnDeptAndBelow, permissions = listOf("org.person.read", "org.dept.read")),
            )
            assertFalse(role.builtin)
            assertEquals(DataScope.OwnDeptAndBelow, role.dataScope)
            val changed = office.updateRole(s, "reader", RolePatch(description = "reads people", dataScope = DataScope.Depts(listOf(finance.id))))
            assertEquals(DataScope.Depts(listOf(finance.id)), changed.dataScope)
            assertEquals("reads people", office.getRole(s, "reader").description)
            assertTrue(office.listRoles(s).map { it.code }.containsAll(listOf("admin", "reader")))
            assertOa<OaException.Validation> { office.updateRole(s, "reader", RolePatch(dataScope = DataScope.Depts(listOf("bad")))) }
            office.updateRole(s, "reader", RolePatch(dataScope = DataScope.OwnDeptAndBelow))

            val grant = office.grantRole(s, NewGrant(person = clerk.id, role = "reader"))
            assertEquals(clerk.id, grant.person)
            assertEquals(listOf(grant.id), office.listGrants(s, clerk.id).map { it.id })
            assertTrue(office.listGrants(s).size >= 2, "the administrator's grant and the clerk's")

            val c = office.signIn("clerk", "clerk password 1")
            assertTrue(office.checkPermission(c, "org.person.read"))
            assertTrue(office.checkPermission(c, "org.person.read", dept = audit.id))
            assertFalse(office.checkPermission(c, "org.person.read", dept = it.id))
            assertFalse(office.checkPermission(c, "perm.role.manage"))
            assertOa<OaException.Validation> { office.checkPermission(c, "no.such.permission") }
            val scope = office.permissionScope(c, "org.person.read")
            assertFalse(scope.all)
            assertEquals(listOf(finance.id), scope.subtrees)
            assertEquals(listOf("org.dept.read", "org.person.read"), office.effectivePermissions(s, clerk.id).sorted())
            assertTrue(office.permissionScope(s, "org.person.read").all)
            assertTrue(office.checkPermissionOf(s, clerk.id, "org.person.read", dept = audit.id))
            assertFalse(office.checkPermissionOf(s, clerk.id, "org.person.read", dept = it.id))
            assertFalse(office.checkPermissionOf(s, clerk.id, "perm.role.manage"))

            office.revokeGrant(s, grant.id)
            assertFalse(office.checkPermission(c, "org.person.read"))
            office.deleteRole(s, "reader")
            assertOa<OaException.NotFound> { office.getRole(s, "reader") }
            assertOa<OaException.InvalidState> { office.deleteRole(s, "admin") }
        }
    }

    @Test
    fun `principal answers permission questions as lookups`() {
        memoryOffice().use { office ->
            val s = office.signIn("admin", PW)
            val root = office.root(s)
            val finance = office.createDepartment(s, NewDepartment(name = "财务处", parent = root.id))
            val audit = office.createDepartment(s, NewDepartment(name = "审计科", parent = finance.id))
            val it = office.createDepartment(s, NewDepartment(name = "信息中心", parent = root.id))
            val clerk = office.personWithPassword(s, "clerk", "科员", finance.id, "clerk password 1")
            office.createRole(
                s,
                NewRole(code = "reader", name = "查阅员", dataScope = DataScope.OwnDeptAndBelow, permissions = listOf("org.person.read", "org.dept.read")),
            )
            val grant = office.grantRole(s, NewGrant(person = clerk.id, role = "reader"))
            val c = office.signIn("clerk", "clerk password 1")

            office.principal(c).use { p ->
                assertEquals(clerk.id, p.person())
                assertEquals(listOf("org.dept.read", "org.person.read"), p.permissions())
                assertTrue(p.allows("org.person.read"))
                assertFalse(p.allows("perm.role.manage"))
                assertFalse(p.allows("no.such.permission"), "a name not in the catalogue is not held")
                assertTrue(p.allowsOn("org.person.read", dept = audit.id))
                assertTrue(p.allowsOn("org.person.read", finance.id, clerk.id))
                assertFalse(p.allowsOn("org.person.read", dept = it.id))
                assertFalse(p.allowsOn("org.person.read", owner = clerk.id), "an owner without a department")
                assertFalse(p.allowsOn("org.person.read"), "neither: only an unrestricted scope")
                // The same answers as the calls it saves.
                for (dept in listOf(root.id, finance.id, audit.id, it.id)) {
                    assertEquals(office.checkPermission(c, "org.person.read", dept = dept), p.allowsOn("org.person.read", dept = dept), dept)
                }
                assertEquals(office.permissionScope(c, "org.person.read"), p.scope("org.person.read"))
                assertEquals(listOf(finance.id), p.scope("org.person.read").subtrees)
                assertEquals(ScopeFilter(false, emptyList(), emptyList(), emptyList(), emptyList()), p.scope("perm.role.manage"))

                val bad = assertOa<OaException.Validation> { p.allowsOn("org.person.read", dept = "not an id", owner = "nope") }
                assertEquals(listOf("dept", "owner"), bad.fields.map { f -> f.path })

                // A snapshot: it keeps what held when it was taken; a new one follows the change.
                office.revokeGrant(s, grant.id)
                assertTrue(p.allows("org.person.read"))
                office.principal(c).use { fresh -> assertEquals(emptyList(), fresh.permissions()) }
            }

            office.principal(s).use { admin ->
                assertEquals(office.whoami(s).person, admin.person())
                assertEquals(office.whoami(s).permissions, admin.permissions().sorted())
                assertTrue(admin.allowsOn("org.person.read"))
                assertTrue(admin.scope("org.person.read").all)
            }

            val pending = office.personWithPassword(s, "newcomer", "新人", root.id).let {
                office.resetPassword(s, it.id, "temporary password 1")
                office.signIn("newcomer", "temporary password 1")
            }
            assertOa<OaException.PasswordChangeRequired> { office.principal(pending) }
            office.signOut(c)
            assertOa<OaException.Unauthenticated> { office.principal(c) }
            office.closeOffice()
            assertOa<OaException.Closed> { office.principal(s) }
        }
    }

    @Test
    fun `separation of duties starts an office with three administrators`() {
        val input = InitOffice(
            officeName = "保密办",
            adminLogin = "sys",
            adminName = "系统管理员",
            adminPassword = PW,
            separationOfDuties = true,
            securityAdmin = InitAccount("sec", "安全管理员", PW),
            auditor = InitAccount("aud", "安全审计员", PW),
        )
        Office.initMemory(input).use { office ->
            val sys = office.signIn("sys", PW)
            val aud = office.signIn("aud", PW)
            assertFalse(office.checkPermission(sys, "audit.log.read"))
            assertTrue(office.checkPermission(aud, "audit.log.read"))
            assertTrue(office.verifyAuditChain(aud).intact)
            assertOa<OaException.PermissionDenied> { office.verifyAuditChain(sys) }
        }
    }
}
