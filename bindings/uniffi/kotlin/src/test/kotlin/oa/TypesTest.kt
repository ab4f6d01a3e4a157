package oa

import java.math.BigDecimal
import java.time.Instant
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/** How values cross the boundary: decimals, instants, byte arrays, lists. */
class TypesTest {
    @Test
    fun `money crosses as BigDecimal keeping scale and sign`() {
        for (text in listOf("0", "1234.50", "-0.001", "79228162514264337593543950335", "0.0000000000000000000000000001")) {
            val back: BigDecimal = decimalRoundTrip(BigDecimal(text))
            assertEquals(BigDecimal(text), back, text)
            assertEquals(BigDecimal(text).scale(), back.scale(), text)
        }
        assertEquals(BigDecimal("1200"), decimalRoundTrip(BigDecimal("1.2E+3")))
    }

    @Test
    fun `money rounds half-up to the currency's minor unit`() {
        assertEquals(BigDecimal("100.00"), roundMoney(BigDecimal("100"), "CNY"))
        assertEquals(BigDecimal("2.35"), roundMoney(BigDecimal("2.345"), "CNY"))
        assertEquals(BigDecimal("-2.35"), roundMoney(BigDecimal("-2.345"), "USD"))
        assertEquals(BigDecimal("1235"), roundMoney(BigDecimal("1234.5"), "JPY"))
        assertEquals(BigDecimal("1.235"), roundMoney(BigDecimal("1.2345"), "KWD"))
    }

    @Test
    fun `instants cross as java time Instant`() {
        memoryOffice().use { office ->
            val before = Instant.now().minusSeconds(1)
            val now: Instant = office.now()
            assertTrue(now.isAfter(before) && now.isBefore(Instant.now().plusSeconds(1)))
            val s = office.signIn("admin", PW)
            val d = office.root(s)
            assertTrue(!d.createdAt.isAfter(Instant.now()))
        }
    }

    @Test
    fun `operations and error codes come from the native library`() {
        assertTrue("sign_in" in operations() && "verify_audit_chain" in operations())
        assertEquals(12, errorCodes().size)
        assertTrue(errorCodes().containsAll(listOf("validation", "not_found", "closed")))
    }
}
