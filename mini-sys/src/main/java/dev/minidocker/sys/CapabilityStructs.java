package dev.minidocker.sys;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * The two structs capget(2) and capset(2) take, in version 3 (64 capability bits, so the data
 * struct comes twice: bits 0-31, then bits 32-63), from linux/capability.h:
 * <pre>
 * struct __user_cap_header_struct { __u32 version; int pid; };                      // 8 bytes
 * struct __user_cap_data_struct   { __u32 effective, permitted, inheritable; };     // 12 bytes, x2
 * </pre>
 * They stay in here: callers see {@link CapabilitySets}.
 */
public final class CapabilityStructs {
    /** _LINUX_CAPABILITY_VERSION_3. */
    public static final int _LINUX_CAPABILITY_VERSION_3 = 0x20080522;
    /** _LINUX_CAPABILITY_U32S_3: how many data structs version 3 takes. */
    public static final int _LINUX_CAPABILITY_U32S_3 = 2;

    public static final int HEADER_SIZE = 8;
    public static final int HEADER_VERSION = 0;
    public static final int HEADER_PID = 4;

    public static final int DATA_SIZE = 12;
    public static final int DATA_EFFECTIVE = 0;
    public static final int DATA_PERMITTED = 4;
    public static final int DATA_INHERITABLE = 8;

    private CapabilityStructs() {
    }

    /** A header asking about (or setting) the thread pid; 0 is the calling thread. */
    static Pointer header(int pid) {
        Pointer h = Memory.allocateDirect(Native.runtime(), HEADER_SIZE, true);
        h.putInt(HEADER_VERSION, _LINUX_CAPABILITY_VERSION_3);
        h.putInt(HEADER_PID, pid);
        return h;
    }

    static Pointer data(CapabilitySets sets) {
        Pointer d = Memory.allocateDirect(Native.runtime(), DATA_SIZE * _LINUX_CAPABILITY_U32S_3, true);
        for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; i++) {
            int base = i * DATA_SIZE;
            d.putInt(base + DATA_EFFECTIVE, (int) (sets.effective() >>> (32 * i)));
            d.putInt(base + DATA_PERMITTED, (int) (sets.permitted() >>> (32 * i)));
            d.putInt(base + DATA_INHERITABLE, (int) (sets.inheritable() >>> (32 * i)));
        }
        return d;
    }

    static Pointer emptyData() {
        return Memory.allocateDirect(Native.runtime(), DATA_SIZE * _LINUX_CAPABILITY_U32S_3, true);
    }

    static CapabilitySets sets(Pointer d) {
        long e = 0, p = 0, in = 0;
        for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; i++) {
            int base = i * DATA_SIZE;
            e |= (d.getInt(base + DATA_EFFECTIVE) & 0xffffffffL) << (32 * i);
            p |= (d.getInt(base + DATA_PERMITTED) & 0xffffffffL) << (32 * i);
            in |= (d.getInt(base + DATA_INHERITABLE) & 0xffffffffL) << (32 * i);
        }
        return new CapabilitySets(e, p, in);
    }
}
