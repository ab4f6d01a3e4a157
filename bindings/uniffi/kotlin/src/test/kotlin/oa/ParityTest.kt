package oa

import java.io.File
import java.lang.reflect.Method
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * Every operation of the core (`operations()` and `pendingOperations()`, read from the native
 * library) must be a method of [Office] under its camelCase name; the test command fails on a
 * gap. Pending operations (the workflow engine's, not yet in every frontend) are checked as
 * operations, so that nothing changes here when they move into `operations()`.
 */
class ParityTest {
    /**
     * Operations whose name cannot be used as it is. These are mappings, not exclusions: each
     * still has its method.
     * - `init`: a constructor needs a store, and `init` is reserved in Swift: `initFolder`
     *   (on disk) and `initMemory`.
     * - `open`: `openFolder`.
     * - `close`: `closeOffice`, because the generated class already has `close()` from
     *   `AutoCloseable`, which releases the handle instead.
     */
    private val mapped = mapOf(
        "init" to listOf("initFolder", "initMemory"),
        "open" to listOf("openFolder"),
        "close" to listOf("closeOffice"),
    )

    /** Operations this frontend leaves out, with the reason. None. */
    private val excluded = emptyMap<String, String>()

    /** Methods of [Office] that are not operations of the core: small accessors of the handle. */
    private val extras = setOf("backend", "isClosed", "now")

    private val methods: Set<String> =
        (Office::class.java.methods + Office.Companion::class.java.methods).mapNotNull(::kotlinName).toSet()

    /**
     * The Kotlin name of a JVM method: a function taking an unsigned number (`UInt`, `ULong`) is
     * compiled to `name-hash`, and default arguments add a synthetic `name$default`.
     */
    private fun kotlinName(m: Method): String? = if ('$' in m.name) null else m.name.substringBefore('-')

    /** Every operation the core lists: `operations()` ∪ `pendingOperations()`. */
    private fun allOperations(): List<String> = (operations() + pendingOperations()).distinct()

    private fun namesOf(operation: String) = mapped[operation] ?: listOf(camel(operation))

    @Test
    fun `every operation of the core is a method of Office`() {
        assertTrue(operations().size >= 50, "the core lists its operations: ${operations()}")
        val operations = allOperations()
        val missing = operations.filter { it !in excluded }.flatMap { op -> namesOf(op).filter { it !in methods }.map { "$op → $it" } }
        assertEquals(emptyList(), missing, "operations of the core missing from the Kotlin binding")
    }

    @Test
    fun `every method of Office is an operation of the core or a known extra`() {
        val expected = allOperations().flatMap(::namesOf).toSet() + extras
        val declared = OfficeInterface::class.java.declaredMethods.mapNotNull(::kotlinName).toSet() +
            listOf("initFolder", "initMemory", "openFolder").filter { it in methods }
        assertEquals(emptySet(), declared - expected, "methods that are no operation of the core")
    }

    @Test
    fun `the generated Swift has every operation and every error code too`() {
        val generated = checkNotNull(System.getProperty("oa.generatedDir")) { "the build passes oa.generatedDir" }
        val swift = File(generated, "Oa.swift").readText()
        val office = swift.substringAfter("open class Office:").substringBefore("struct FfiConverterTypeOffice")
        val funcs = Regex("""(?:func|static func) `?(\w+)`?\(""").findAll(office).map { it.groupValues[1] }.toSet()
        val missing = allOperations().filter { it !in excluded }.flatMap { op -> namesOf(op).filter { it !in funcs }.map { "$op → $it" } }
        assertEquals(emptyList(), missing, "operations of the core missing from the Swift binding")
        val errorEnum = swift.substringAfter("enum OaError: Swift.Error").substringBefore("struct FfiConverterTypeOaError")
        val cases = Regex("""case (\w+)\(""").findAll(errorEnum).map { snake(it.groupValues[1]) }.toSet()
        assertEquals(errorCodes().toSet(), cases, "one case of the Swift OaError per code")
    }

    @Test
    fun `the exclusion list names only real operations`() {
        val operations = allOperations().toSet()
        assertTrue(excluded.keys.all { it in operations } && mapped.keys.all { it in operations })
    }

    @Test
    fun `every error code has its own exception class`() {
        val classes = OaException::class.java.declaredClasses
            .filter { OaException::class.java.isAssignableFrom(it) }
            .associateBy { snake(it.simpleName) }
        assertEquals(errorCodes().toSet(), classes.keys, "one OaException subclass per code")
        for (code in errorCodes()) {
            val e = runCatching { sampleError(code) }.exceptionOrNull()
            assertTrue(e is OaException, "sampleError($code) throws an OaException, got $e")
            assertEquals(classes.getValue(code), e.javaClass, code)
            assertEquals(code, e.code())
        }
    }
}
