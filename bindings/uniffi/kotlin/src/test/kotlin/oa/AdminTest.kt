package oa

import java.time.Instant
import java.time.LocalDate
import java.time.LocalTime
import java.time.ZoneOffset
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/** The working calendar (工作日历) and document numbering (文号). */
class AdminTest {
    private val friday10 = Instant.parse("2026-03-06T02:00:00Z") // Friday 6 March 2026, 10:00 at +08:00

    @Test
    fun `anyone signed in learns today's date in the office's zone`() {
        memoryOffice().use { office ->
            val admin = office.signIn("admin", PW)
            office.personWithPassword(admin, "clerk", "办事员", office.root(admin).id)
            val clerk = office.signIn("clerk", "clerk's own password")
            // Read before and after asking, so that a midnight in between cannot fail it.
            val beijing = ZoneOffset.ofHours(8)
            val before = LocalDate.now(beijing)
            assertTrue(office.today(clerk) in setOf(before, LocalDate.now(beijing)))
            assertOa<OaException.PermissionDenied> { office.getWorkCalendar(clerk) }

            office.setWorkCalendar(admin, office.getWorkCalendar(admin).copy(utcOffset = "-12:00"))
            val farWest = ZoneOffset.ofHours(-12)
            val then = LocalDate.now(farWest)
            assertTrue(office.today(clerk) in setOf(then, LocalDate.now(farWest)))
        }
    }

    @Test
    fun `the working calendar counts working time around weekends and holidays`() {
        memoryOffice().use { office ->
            val s = office.signIn("admin", PW)
            val settings = office.getWorkCalendar(s)
            assertEquals(listOf(Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY), settings.workingWeekdays)
            assertEquals(WorkHours(LocalTime.of(9, 0), LocalTime.of(12, 0)), settings.hours.first())
            assertEquals(LocalTime.of(13, 30), settings.hours[1].start)
            assertEquals("+08:00", settings.utcOffset)

            assertEquals(Instant.parse("2026-03-06T07:30:00Z"), office.addWorkingTime(s, friday10, WorkDuration(4u, WorkUnit.HOURS)))
            assertEquals(Instant.parse("2026-03-09T02:00:00Z"), office.addWorkingTime(s, friday10, WorkDuration(1u, WorkUnit.DAYS)))

            val year = office.setHolidays(s, 2026, listOf(LocalDate.of(2026, 3, 9)), listOf(LocalDate.of(2026, 3, 14)))
            assertEquals(listOf(LocalDate.of(2026, 3, 9)), year.holidays)
            assertEquals(year, office.listHolidays(s, 2026))
            // Monday is a holiday now; the next working day is Tuesday.
            assertEquals(Instant.parse("2026-03-10T02:00:00Z"), office.addWorkingTime(s, friday10, WorkDuration(1u, WorkUnit.DAYS)))

            val six = settings.copy(workingWeekdays = settings.workingWeekdays + Weekday.SATURDAY, utcOffset = "Z")
            val saved = office.setWorkCalendar(s, six)
            assertEquals("+00:00", saved.utcOffset)
            assertEquals(6, saved.workingWeekdays.size)

            val bad = assertOa<OaException.Validation> {
                office.setWorkCalendar(s, WorkCalendarSettings(emptyList(), listOf(WorkHours(LocalTime.of(12, 0), LocalTime.of(9, 0))), "+8"))
            }
            assertEquals(listOf("working_weekdays", "hours[0].end", "utc_offset"), bad.fields.map { it.path })
            val wrongYear = assertOa<OaException.Validation> { office.setHolidays(s, 2026, listOf(LocalDate.of(2025, 12, 31)), emptyList()) }
            assertEquals("holidays[0]", wrongYear.fields.single().path)
            assertOa<OaException.Validation> { office.listHolidays(s, 1000) }
        }
    }

    @Test
    fun `numbering rules issue document numbers in sequence`() {
        memoryOffice().use { office ->
            val s = office.signIn("admin", PW)
            val year = office.now().atOffset(ZoneOffset.ofHours(8)).year
            val rule = office.createNumberingRule(s, NewNumberingRule(key = "office_doc", name = "发文字号", pattern = "办〔{year}〕{seq}号", reset = SeqReset.YEARLY))
            assertEquals(SeqReset.YEARLY, rule.reset)
            assertEquals(0.toUByte(), rule.seqWidth)
            assertEquals("办〔$year〕1号", office.previewNextNumber(s, "office_doc"))
            assertEquals("办〔$year〕1号", office.issueNumber(s, "office_doc", "document:first"))
            assertEquals("办〔$year〕2号", office.issueNumber(s, "office_doc", "document:second"))
            val issued = office.getIssuedNumber(s, "office_doc", "办〔$year〕2号")
            assertEquals("document:second", issued.owner)
            assertEquals(2uL, issued.seq)
            assertEquals("$year", issued.period)
            assertEquals(office.whoami(s).person, issued.issuedBy)

            val changed = office.updateNumberingRule(s, "office_doc", NumberingRulePatch(seqWidth = 3u))
            assertEquals(3.toUByte(), changed.seqWidth)
            assertEquals("办〔$year〕003号", office.previewNextNumber(s, "office_doc"))
            assertEquals(changed, office.getNumberingRule(s, "office_doc"))
            office.createNumberingRule(s, NewNumberingRule(key = "contract", name = "合同编号", pattern = "HT-{seq:4}", reset = SeqReset.NEVER))
            assertEquals(listOf("contract", "office_doc"), office.listNumberingRules(s).map { it.key })

            val bad = assertOa<OaException.Validation> {
                office.createNumberingRule(s, NewNumberingRule(key = "Bad Key", name = "", pattern = "{seq}", reset = SeqReset.YEARLY))
            }
            assertEquals(setOf("key", "name", "pattern"), bad.fields.map { it.path }.toSet())
            assertOa<OaException.NotFound> { office.issueNumber(s, "nothing", "x") }
            assertTrue(office.listAudit(s, AuditQuery(operation = "admin.numbering.issue"), PageRequest()).items.size == 2)
        }
    }
}
