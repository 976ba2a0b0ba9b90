package dev.minidocker.container.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.minidocker.container.spec.SpecDefaults;
import dev.minidocker.sys.Prctl;
import dev.minidocker.sys.SyscallException;
import dev.minidocker.sys.Syscalls;

class CapabilityTest {

    @Test
    void numbersAreThoseOfLinuxCapabilityH() throws IOException {
        // the values, as the header defines them
        assertEquals(0, Capability.CAP_CHOWN.number());
        assertEquals(8, Capability.CAP_SETPCAP.number());
        assertEquals(21, Capability.CAP_SYS_ADMIN.number());
        assertEquals(27, Capability.CAP_MKNOD.number());
        assertEquals(31, Capability.CAP_SETFCAP.number());
        assertEquals(40, Capability.CAP_CHECKPOINT_RESTORE.number());
        Path header = Path.of("/usr/include/linux/capability.h");
        if (Files.exists(header)) { // linux-libc-dev: compare every one
            Matcher m = Pattern.compile("#define (CAP_[A-Z_]+)\\s+(\\d+)\\s*$", Pattern.MULTILINE).matcher(Files.readString(header));
            int seen = 0;
            while (m.find()) {
                if (m.group(1).equals("CAP_LAST_CAP")) {
                    continue;
                }
                assertEquals(Integer.parseInt(m.group(2)), Capability.valueOf(m.group(1)).number(), m.group(1));
                seen++;
            }
            assertEquals(Capability.values().length, seen, "the header has capabilities this enum lacks");
        }
    }

    @Test
    void dockersDefaultSetIsFourteenCapabilitiesWithTheExpectedMask() {
        assertEquals(14, SpecDefaults.CAPABILITIES.size());
        // what docker's default container shows as CapBnd in /proc/self/status
        assertEquals(0x00000000a80425fbL, Capability.mask(SpecDefaults.CAPABILITIES));
        assertEquals(SpecDefaults.CAPABILITIES.stream().sorted().toList(),
                Capability.names(Capability.mask(SpecDefaults.CAPABILITIES)).stream().sorted().toList());
    }

    @Test
    void namesAreAcceptedAsDockerFlagsWriteThem() {
        assertEquals(Capability.CAP_NET_ADMIN, Capability.parse("NET_ADMIN"));
        assertEquals(Capability.CAP_NET_ADMIN, Capability.parse("net_admin"));
        assertEquals(Capability.CAP_NET_ADMIN, Capability.parse("CAP_NET_ADMIN"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Capability.parse("CAP_FLY"));
        assertTrue(e.getMessage().contains("unknown capability \"CAP_FLY\""), e.getMessage());
        assertEquals(0, Capability.mask(null));
        assertEquals(List.of("CAP_CHOWN", "CAP_SYS_ADMIN"), Capability.names(1L | 1L << 21));
    }

    @Test
    void lastCapIsTheLastNumberTheKernelAccepts() {
        int last = Capability.lastCap();
        assertTrue(last >= Capability.CAP_AUDIT_READ.number(), "cap_last_cap read as " + last);
        assertTrue(Syscalls.prctl(Prctl.PR_CAPBSET_READ, last) >= 0);
        SyscallException e = assertThrows(SyscallException.class, () -> Syscalls.prctl(Prctl.PR_CAPBSET_READ, last + 1));
        assertEquals("EINVAL", e.errnoName());
        assertEquals(last, 63 - Long.numberOfLeadingZeros(Capability.allOnThisKernel()));
    }
}
