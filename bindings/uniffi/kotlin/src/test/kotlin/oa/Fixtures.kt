package oa

import kotlin.test.assertFailsWith

/** The first administrator's password in every test office. */
const val PW = "correct horse battery"

/** A new office in memory with one administrator, `admin`. */
fun memoryOffice(name: String = "市政府办公厅"): Office =
    Office.initMemory(InitOffice(officeName = name, adminLogin = "admin", adminName = "管理员", adminPassword = PW))

/** The root department of an office (named after it). */
fun Office.root(session: Session): Department = listDepartments(session).single { it.parent == null }

/**
 * A person who can sign in: created with an initial password, then signed in once to change it
 * to `password`.
 */
fun Office.personWithPassword(
    admin: Session,
    login: String,
    name: String,
    dept: String,
    password: String = "$login's own password",
): Person {
    val person = createPerson(admin, NewPerson(login = login, name = name, dept = dept, initialPassword = "initial password 1"))
    val first = signIn(login, "initial password 1")
    changePassword(first, "initial password 1", password)
    return person
}

/** Asserts that `block` throws the [OaException] subclass `T` and returns it. */
inline fun <reified T : OaException> assertOa(noinline block: () -> Unit): T = assertFailsWith<T>(block = block)

/** The snake_case code of a camelCase name (`permissionDenied` → `permission_denied`). */
fun snake(name: String): String = name.replace(Regex("([A-Z])")) { "_" + it.value.lowercase() }.trimStart('_')

/** The camelCase name of a snake_case operation (`list_audit` → `listAudit`). */
fun camel(name: String): String = name.split('_').mapIndexed { i, part -> if (i == 0) part else part.replaceFirstChar { it.uppercase() } }.joinToString("")
