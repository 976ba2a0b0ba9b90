package dev.minidocker.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/** capget/capset and the prctl capability options against what the kernel reports in /proc. */
class CapabilityBindingTest {

    @Test
    void structLayoutsAreThoseOfLinuxCapabilityH() {
        assertEquals(0x20080522, CapabilityStructs._LINUX_CAPABILITY_VERSION_3);
        assertEquals(2, CapabilityStructs._LINUX_CAPABILITY_U32S_3);
        assertEquals(8, CapabilityStructs.HEADER_SIZE);
        assertEquals(4, CapabilityStructs.HEADER_PID);
        assertEquals(12, CapabilityStructs.DATA_SIZE);
        assertEquals(0, CapabilityStructs.DATA_EFFECTIVE);
        assertEquals(4, CapabilityStructs.DATA_PERMITTED);
        assertEquals(8, CapabilityStructs.DATA_INHERITABLE);
        CapabilitySets s = new CapabilitySets(0x1_0000_0001L, 0x2_0000_0002L, 0x4_0000_0004L);
        jnr.ffi.Pointer d = CapabilityStructs.data(s);
        assertEquals(1, d.getInt(0));           // bits 0-31 of effective
        assertEquals(2, d.getInt(4));
        assertEquals(4, d.getInt(8));
        assertEquals(1, d.getInt(12));          // bits 32-63 of effective, in the second struct
        assertEquals(s, CapabilityStructs.sets(d));
    }

    @Test
    void capgetReadsWhatProcSelfStatusSays() throws IOException {
        AtomicReference<CapabilitySets> seen = new AtomicReference<>();
        AtomicReference<String> status = new AtomicReference<>();
        onOwnThread(() -> {
            seen.set(Syscalls.capget());
            status.set(read(Path.of("/proc/thread-self/status")));
        });
        assertEquals(field(status.get(), "CapEff"), seen.get().effective());
        assertEquals(field(status.get(), "CapPrm"), seen.get().permitted());
        assertEquals(field(status.get(), "CapInh"), seen.get().inheritable());
    }

    @Test
    void capbsetReadAgreesWithCapBnd() {
        long bnd = field(read(Path.of("/proc/self/status")), "CapBnd");
        int last = lastCap();
        for (int cap = 0; cap <= last; cap++) {
            int r = Syscalls.prctl(Prctl.PR_CAPBSET_READ, cap);
            assertEquals((bnd >>> cap) & 1, r, "capability " + cap);
        }
    }

    @Test
    void capsetChangesOnlyTheCallingThread() {
        Privileged.requireRoot();
        CapabilitySets mine = Syscalls.capget();
        assertNotEquals(0, mine.effective() & 1, "root without CAP_CHOWN?");
        AtomicReference<CapabilitySets> after = new AtomicReference<>();
        AtomicReference<String> status = new AtomicReference<>();
        onOwnThread(() -> {
            CapabilitySets s = Syscalls.capget();
            Syscalls.capset(new CapabilitySets(s.effective() & ~1L, s.permitted() & ~1L, s.inheritable()));
            after.set(Syscalls.capget());
            status.set(read(Path.of("/proc/thread-self/status")));
        });
        assertEquals(0, after.get().effective() & 1, "CAP_CHOWN still effective");
        assertEquals(after.get().permitted(), field(status.get(), "CapPrm"));
        assertEquals(mine, Syscalls.capget(), "the test's own thread changed too");
    }

    @Test
    void noNewPrivsIsPerThreadAndReadBack() {
        AtomicReference<Integer> inThread = new AtomicReference<>();
        AtomicReference<String> status = new AtomicReference<>();
        onOwnThread(() -> {
            Syscalls.prctl(Prctl.PR_SET_NO_NEW_PRIVS, 1, 0, "PR_SET_NO_NEW_PRIVS");
            inThread.set(Syscalls.prctl(Prctl.PR_GET_NO_NEW_PRIVS, 0));
            status.set(read(Path.of("/proc/thread-self/status")));
        });
        assertEquals(1, inThread.get());
        assertEquals("1", text(status.get(), "NoNewPrivs"));
        assertEquals(0, Syscalls.prctl(Prctl.PR_GET_NO_NEW_PRIVS, 0));
    }

    /** cap_last_cap in one read(2): a sysctl number file answers only a read at offset 0. */
    static int lastCap() {
        try (java.io.InputStream in = Files.newInputStream(Path.of("/proc/sys/kernel/cap_last_cap"))) {
            int last = Integer.parseInt(new String(in.readNBytes(32)).trim());
            assertEquals(-1, Native.libc().prctl(Prctl.PR_CAPBSET_READ, last + 1, 0, 0, 0), "cap " + (last + 1) + " exists");
            return last;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs body on a fresh thread, which ends afterwards: whatever it changed about itself goes with it. */
    static void onOwnThread(Runnable body) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static String text(String status, String name) {
        for (String line : status.split("\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        throw new AssertionError("no " + name + " in status");
    }

    static long field(String status, String name) {
        return Long.parseUnsignedLong(text(status, name), 16);
    }
}
