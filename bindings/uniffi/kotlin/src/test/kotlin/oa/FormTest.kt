package oa

import java.math.BigDecimal
import java.security.MessageDigest
import java.time.LocalDate
import kotlin.test.Test
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/** Forms (表单): definitions and their versions, data validation, attachments (附件). */
class FormTest {
    private val expense = NewForm(
        key = "expense",
        name = "报销单",
        fields = listOf(
            FieldDef("reason", "事由", FieldKind.Text(minLength = null, maxLength = 100u, pattern = null), required = true),
            FieldDef("day", "日期", FieldKind.Date(min = LocalDate.of(2020, 1, 1), max = null)),
            FieldDef(
                "items", "明细",
                FieldKind.Table(
                    fields = listOf(
                        FieldDef("what", "项目", FieldKind.Text(null, null, null), required = true),
                        FieldDef("cost", "金额", FieldKind.Money(currency = "CNY", min = BigDecimal.ZERO, max = null), required = true),
                    ),
                    minRows = 1u, maxRows = null,
                ),
            ),
            FieldDef("total", "合计", FieldKind.Total("items.cost")),
            FieldDef("kind", "类别", FieldKind.Choice(listOf(ChoiceOption("travel", "差旅"), ChoiceOption("office", "办公")))),
            FieldDef("files", "附件", FieldKind.Attachment(maxFiles = 3u)),
        ),
    )

    @Test
    fun `forms are defined in versions and read back`() {
        memoryOffice().use { office ->
            val s = office.signIn("admin", PW)
            val v1 = office.defineForm(s, expense)
            assertEquals(1u, v1.version)
            assertEquals(office.whoami(s).person, v1.createdBy)
            // Stored normalised: defaults written out (a text's 200 characters, a table's 1000 rows).
            assertEquals(expense.fields.map { it.key }, v1.fields.map { it.key })
            assertEquals(FieldKind.Text(null, 200u, null), (v1.fields[2].kind as FieldKind.Table).fields[0].kind)
            assertEquals(expense.fields[1], v1.fields[1])
            assertEquals(v1, office.defineForm(s, expense), "the same definition changes nothing")
            val v2 = office.defineForm(s, expense.copy(name = "费用报销单", description = "差旅与办公费用"))
            assertEquals(2u, v2.version)
            assertEquals(listOf(1u, 2u), office.formVersions(s, "expense").map { it.version })
            assertEquals("报销单", office.getForm(s, "expense", 1u).name)
            assertEquals("费用报销单", office.getForm(s, "expense").name)
            office.defineForm(s, NewForm(key = "leave", name = "请假单", fields = listOf(FieldDef("days", "天数", FieldKind.Number(BigDecimal("0.5"), null, 1u)))))
            val first = office.listForms(s, PageRequest(limit = 1u))
            assertEquals(listOf("expense"), first.items.map { it.key })
            assertEquals(listOf("leave"), office.listForms(s, PageRequest(cursor = first.nextCursor, limit = 1u)).items.map { it.key })
            assertOa<OaException.NotFound> { office.getForm(s, "nothing") }
            val bad = assertOa<OaException.Validation> {
                office.defineForm(s, NewForm(key = "x", name = "X", fields = listOf(FieldDef("total", "合计", FieldKind.Total("nope.cost")))))
            }
            assertTrue(bad.fields.all { it.path.startsWith("fields[0]") }, bad.fields.toString())
        }
    }

    @Test
    fun `form data is validated and normalised as JSON text`() {
        memoryOffice().use { office ->
            val s = office.signIn("admin", PW)
            office.defineForm(s, expense)
            val data = """{"reason": "出差", "day": "2026-03-06", "items": [{"what": "车票", "cost": "120.5"}, {"what": "住宿", "cost": "300"}], "kind": "travel"}"""
            val normalised = office.validateFormData(s, "expense", null, data)
            assertTrue(normalised.contains(""""amount":"120.50""""), normalised)
            assertTrue(normalised.contains(""""total":{"amount":"420.50","currency":"CNY"}"""), normalised)

            val bad = assertOa<OaException.Validation> {
                office.validateFormData(s, "expense", 1u, """{"items": [{"what": "车票", "cost": 120.5}], "kind": "other"}""")
            }
            assertEquals(setOf("reason", "items[0].cost", "kind"), bad.fields.map { it.path }.toSet())
            val notJson = assertOa<OaException.Validation> { office.validateFormData(s, "expense", null, "{") }
            assertEquals("data", notJson.fields.single().path)
        }
    }

    @Test
    fun `attachments are stored once by content hash and read back`() {
        memoryOffice().use { office ->
            val s = office.signIn("admin", PW)
            val bytes = "会议纪要\n".toByteArray()
            val info = office.uploadAttachment(s, "纪要.txt", "text/plain", bytes)
            val sha = MessageDigest.getInstance("SHA-256").digest(bytes).joinToString("") { "%02x".format(it) }
            assertEquals(sha, info.hash)
            assertEquals(bytes.size.toULong(), info.size)
            assertEquals(info, office.uploadAttachment(s, "again.txt", "text/plain", bytes), "stored once, first name kept")
            val back = office.getAttachment(s, info.hash)
            assertContentEquals(bytes, back.bytes)
            assertEquals(info, back.info)
            assertEquals(info, office.attachmentInfo(s, info.hash))
            assertOa<OaException.Validation> { office.uploadAttachment(s, "virus.exe", "application/octet-stream", byteArrayOf(0x4d, 0x5a)) }
            assertOa<OaException.Validation> { office.attachmentInfo(s, "not a hash") }

            office.defineForm(s, expense)
            val withFile = office.validateFormData(s, "expense", null, """{"reason": "附件", "items": [{"what": "a", "cost": "1"}], "files": "${info.hash}"}""")
            assertTrue(withFile.contains(""""files":["${info.hash}"]"""), withFile)
        }
    }
}
