package dev.minidocker.chapter;

/**
 * Register values, addresses and flags as the manuals print them: in hex. A chapter test that
 * compares such values fails with {@code CR3: expected 0x9000 but was 0x0} instead of two
 * decimal numbers a learner has to convert before the failure means anything.
 */
public final class Hex {
    private Hex() {
    }

    /** {@code 0x} and the value's hex digits, without padding: 0xffffffff, 0x0123456789abcdef. */
    public static String of(long value) {
        return "0x" + Long.toHexString(value);
    }

    /** Throws an AssertionError (what the test frameworks report as a failure) naming both values in hex. */
    public static void assertHex(long expected, long actual, String what) {
        if (expected != actual) {
            throw new AssertionError(what + ": expected " + of(expected) + " but was " + of(actual));
        }
    }

    /** Like {@link #assertHex}, for the bits of {@code mask}: which of them should be set, which are. */
    public static void assertBits(long mask, long expectedBits, long actual, String what) {
        if ((actual & mask) != expectedBits) {
            throw new AssertionError(what + ": expected the bits " + of(expectedBits) + " of mask " + of(mask)
                    + " but the value " + of(actual) + " has " + of(actual & mask));
        }
    }
}
