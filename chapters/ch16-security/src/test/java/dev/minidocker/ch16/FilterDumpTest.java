package dev.minidocker.ch16;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.minidocker.container.spec.ContainerSpec;

/** The seccomp listing of the demo: opcodes as the kernel encodes them, and the compiled default filter. */
class FilterDumpTest {
    @Test
    void decodesTheKernelsEncodings() {
        // <linux/filter.h> BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4): code 0x20
        assertEquals("ld  [4]            A = seccomp_data.arch", FilterDump.decode(0, new FilterDump.SockFilter(0x20, 0, 0, 4), Map.of(), false));
        // BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 272, 0, 1): code 0x15; targets count from the next instruction
        assertEquals("jeq  #0x110, 8, 9     if (A == unshare) goto 8 else goto 9",
                FilterDump.decode(7, new FilterDump.SockFilter(0x15, 0, 1, 272), Map.of(272, "unshare"), true));
        // BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM): code 0x06
        assertEquals("ret #0x50001      SECCOMP_RET_ERRNO(1: EPERM)", FilterDump.decode(0, new FilterDump.SockFilter(0x06, 0, 0, 0x50001), Map.of(), false));
        assertEquals("ret #0x7fff0000      SECCOMP_RET_ALLOW", FilterDump.decode(0, new FilterDump.SockFilter(0x06, 0, 0, 0x7fff0000), Map.of(), false));
        assertEquals("args[0] (low)", FilterDump.field(16));
        assertEquals("args[1] (high)", FilterDump.field(28));
    }

    @Test
    void theDefaultFilterChecksTheArchitectureFirstAndNeverAllowsUnshareByNumber() {
        ContainerSpec.Seccomp spec = Escapes.DEFAULTS.seccomp();
        List<FilterDump.SockFilter> program = FilterDump.compiled(spec);
        assertTrue(program.size() > 100, program.size() + " instructions");
        assertEquals(new FilterDump.SockFilter(0x20, 0, 0, 4), program.get(0), "ld [arch]");
        assertEquals(0x15, program.get(1).code());
        assertEquals(FilterDump.AUDIT_ARCH_X86_64, program.get(1).k());
        List<String> listing = FilterDump.listing(program, FilterDump.callNames(spec));
        assertTrue(listing.stream().anyMatch(l -> l.contains("(A == read)")), "read is allowed by number");
        assertTrue(listing.stream().noneMatch(l -> l.contains("(A == unshare)")), "unshare needs CAP_SYS_ADMIN, which the defaults lack");
        assertTrue(listing.stream().anyMatch(l -> l.contains("SECCOMP_RET_ERRNO(1: EPERM)")), "the default action");
    }
}
