package dev.minidocker.vmm.machine;

/** x86 is little-endian: the first byte of an access is its least significant. */
final class Bytes {
    private Bytes() {
    }

    static long toLong(byte[] b) {
        return toLong(b, 0, Math.min(8, b.length));
    }

    static long toLong(byte[] b, int offset, int size) {
        long v = 0;
        for (int i = 0; i < size; i++) {
            v |= (b[offset + i] & 0xffL) << (8 * i);
        }
        return v;
    }

    static byte[] fromLong(long value, int size) {
        byte[] b = new byte[size];
        put(b, 0, size, value);
        return b;
    }

    static void put(byte[] b, int offset, int size, long value) {
        for (int i = 0; i < size; i++) {
            b[offset + i] = (byte) (value >>> (8 * i));
        }
    }
}
