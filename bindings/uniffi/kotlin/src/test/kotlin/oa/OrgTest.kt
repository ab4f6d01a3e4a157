package oa

import kotlin.test.BeforeTest
import kotlin.test.AfterTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** Departments and people. */
class OrgTest {
    private lateinit var office: Office
    private lateinit var s: Session
    private lateinit var root: Department

    @BeforeTest
    fun open() {
        office = memoryOffice()
        s = office.signIn("admin", PW)
        root = office.root(s)
    }

    @AfterTest
    fun release() = office.close()

    @Test
    fun `departments form a tree that can be renamed, moved, reordered, disabled and enabled`() {
        assertEquals("市政府办公厅", root.name)
        val finance = office.createDepartment(s, NewDepartment(name = "财务处", parent = root.id, code = "FIN"))
        val it = office.createDepartment(s, NewDepartment(name = "信息中心", parent = root.id))
        assertEquals(DeptStatus.ACTIVE, finance.status)
        assertEquals("FIN", office.getDepartment(s, finance.id).code)
        assertEquals(finance.id, office.findDepartmentByCode(s, "fin").id)
        assertOa<OaException.NotFound> { office.findDepartmentByCode(s, "NONE") }
        assertEquals("信息技术中心", office.renameDepartment(s, it.id, "信息技术中心").name)
        assertEquals(7L, office.reorderDepartment(s, it.id, 7L).sortOrder)
        assertEquals(finance.id, office.moveDepartment(s, it.id, finance.id).parent)
        assertEquals(listOf(finance.id), office.departmentChildren(s, root.id).map { it.id })
        assertEquals(listOf(root.id, finance.id, it.id), office.departmentSubtree(s, root.id).map { it.id })
        assertEquals(root.id, office.moveDepartment(s, it.id, root.id, 0L).parent)
        assertEquals(3, office.listDepartments(s).size)
        assertEquals(DeptStatus.DISABLED, office.disableDepartment(s, it.id).status)
        assertEquals(DeptStatus.ACTIVE, office.enableDepartment(s, it.id).status)
        val dup = assertOa<OaException.Validation> { office.createDepartment(s, NewDepartment(name = "财务处", parent = root.id)) }
        assertEquals("name", dup.fields.single().path)
    }

    @Test
    fun `people are created, changed, transferred, given posts and marked as left`() {
        val finance = office.createDepartment(s, NewDepartment(name = "财务处", parent = root.id))
        val it = office.createDepartment(s, NewDepartment(name = "信息中心", parent = root.id))
        val chief = office.createPerson(s, NewPerson(login = "zhangwei", name = "张伟", dept = finance.id, position = "处长"))
        val clerk = office.createPerson(s, NewPerson(login = "li.na", name = "李娜", dept = finance.id, email = "li.na@example.org", superior = chief.id))
        assertEquals(PersonStatus.ACTIVE, clerk.status)
        assertEquals(chief.id, office.getPerson(s, clerk.id).superior)
        assertEquals(clerk.id, office.findPersonByLogin(s, "LI.NA").id)

        assertEquals(chief.id, office.setDepartmentHead(s, finance.id, chief.id).head)
        assertEquals(chief.id, office.headAbove(s, clerk.id, 0u)?.id)
        assertNull(office.headAbove(s, clerk.id, 1u))
        assertEquals(listOf(chief.id), office.superiorsOf(s, clerk.id).map { it.id })

        val patched = office.updatePerson(s, clerk.id, PersonPatch(phone = "010-6512 3456", clearSuperior = true))
        assertEquals("010-6512 3456", patched.phone)
        assertNull(patched.superior)
        val moved = office.transferPerson(s, clerk.id, it.id, "工程师")
        assertEquals(it.id, moved.dept)
        assertEquals("工程师", moved.position)
        assertEquals(it.id, office.transferPerson(s, clerk.id, it.id).dept)

        val withPost = office.addPost(s, clerk.id, Post(dept = finance.id, position = "兼职会计"))
        assertEquals(listOf(Post(finance.id, "兼职会计")), withPost.posts)
        assertEquals(emptyList(), office.removePost(s, clerk.id, finance.id).posts)

        assertEquals(PersonStatus.DISABLED, office.disablePerson(s, clerk.id).status)
        assertEquals(PersonStatus.ACTIVE, office.enablePerson(s, clerk.id).status)
        assertEquals(PersonStatus.LEFT, office.markPersonLeft(s, chief.id).status)
        assertNull(office.getDepartment(s, finance.id).head, "leaving clears the head role")
        assertOa<OaException.NotFound> { office.findPersonByLogin(s, "nobody") }
        office.setDepartmentHead(s, finance.id, null)
    }

    @Test
    fun `people are listed page by page with a cursor`() {
        val finance = office.createDepartment(s, NewDepartment(name = "财务处", parent = root.id))
        val audit = office.createDepartment(s, NewDepartment(name = "审计科", parent = finance.id))
        for (i in 1..3) office.createPerson(s, NewPerson(login = "f$i", name = "财务$i", dept = finance.id))
        office.createPerson(s, NewPerson(login = "a1", name = "审计1", dept = audit.id))
        val seen = mutableListOf<String>()
        var page = PageRequest(limit = 2u)
        while (true) {
            val p = office.listPeople(s, PeopleQuery(dept = finance.id, includeSubtree = true), page)
            seen += p.items.map { it.login }
            page = PageRequest(cursor = p.nextCursor ?: break, limit = 2u)
        }
        assertEquals(listOf("f1", "f2", "f3", "a1"), seen)
        val text = office.listPeople(s, PeopleQuery(text = "审计", status = PersonStatus.ACTIVE), PageRequest())
        assertEquals(listOf("a1"), text.items.map { it.login })
        assertEquals(5, office.listPeople(s, PeopleQuery(), PageRequest()).items.size)
        val bad = assertOa<OaException.Validation> { office.listPeople(s, PeopleQuery(), PageRequest(cursor = "garbage!")) }
        assertEquals("cursor", bad.fields.single().path)
    }

    @Test
    fun `departments and people import from CSV, all or nothing`() {
        val depts = "code,name,parent_code\nHR,人事处,\nHR-1,招聘科,HR\n".toByteArray()
        val people = "login,name,dept_code,superior_login,password\nzhao,赵敏,HR,,first password 1\nqian,钱亮,HR-1,zhao,\n".toByteArray()
        val report = office.importOrgCsv(s, depts, people)
        assertEquals(ImportReport(departmentsCreated = 2u, peopleCreated = 2u, passwordsSet = 1u, withoutPassword = 1u), report)
        val qian = office.findPersonByLogin(s, "qian")
        assertEquals(office.findPersonByLogin(s, "zhao").id, qian.superior)
        assertTrue(office.whoami(office.signIn("zhao", "first password 1")).mustChangePassword)

        val bad = assertOa<OaException.Validation> {
            office.importOrgCsv(s, "code,name,parent_code\nX,,NOPE\n".toByteArray(), "login,name,dept_code\n".toByteArray())
        }
        assertTrue(bad.fields.all { it.path.startsWith("departments.csv:2.") }, bad.fields.toString())
        assertEquals(3, office.listDepartments(s).size, "nothing of the bad import was written")
    }
}
