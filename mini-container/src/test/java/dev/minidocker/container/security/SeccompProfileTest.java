package dev.minidocker.container.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.container.spec.SpecDefaults;
import dev.minidocker.sys.Mman;
import dev.minidocker.sys.Syscalls;

/** docker's profile format, the default profile's rules for a container, and its compiled BPF. */
class SeccompProfileTest {

    private static List<ContainerSpec.Syscall> rulesFor(ContainerSpec.Seccomp s, String name) {
        List<ContainerSpec.Syscall> l = new ArrayList<>();
        for (ContainerSpec.Syscall r : s.syscalls()) {
            if (r.names().contains(name)) {
                l.add(r);
            }
        }
        return l;
    }

    private static ContainerSpec.Seccomp defaults(List<String> caps) {
        return DefaultSeccompProfile.profile().resolve(caps, "amd64", "6.18.44");
    }

    @Test
    void defaultRefusesWithEpermWhatItDoesNotName() {
        ContainerSpec.Seccomp s = defaults(SpecDefaults.CAPABILITIES);
        assertEquals("SCMP_ACT_ERRNO", s.defaultAction());
        assertEquals(1, s.defaultErrnoRet());
        assertEquals(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"), s.architectures());
        for (String denied : List.of("keyctl", "add_key", "request_key", "mount", "umount2", "unshare", "setns", "bpf",
                "reboot", "kexec_load", "init_module", "open_by_handle_at", "clock_settime", "swapon", "userfaultfd")) {
            assertEquals(List.of(), rulesFor(s, denied), denied + " must not be allowed");
        }
        for (String allowed : List.of("read", "write", "execve", "openat", "capset", "setresuid", "chroot", "ptrace")) {
            assertEquals("SCMP_ACT_ALLOW", rulesFor(s, allowed).get(0).action(), allowed);
        }
    }

    @Test
    void cloneWithoutSysAdminMayCreateNoNamespaceAndClone3FallsBack() {
        ContainerSpec.Seccomp s = defaults(SpecDefaults.CAPABILITIES);
        List<ContainerSpec.Syscall> clone = rulesFor(s, "clone");
        assertEquals(1, clone.size());
        assertEquals(List.of(new ContainerSpec.SyscallArg(0, 0x7E020000L, 0, "SCMP_CMP_MASKED_EQ")), clone.get(0).args());
        List<ContainerSpec.Syscall> clone3 = rulesFor(s, "clone3");
        assertEquals(1, clone3.size());
        assertEquals("SCMP_ACT_ERRNO", clone3.get(0).action());
        assertEquals(38, clone3.get(0).errnoRet()); // ENOSYS
        assertEquals(5, rulesFor(s, "personality").size());
        assertTrue(rulesFor(s, "personality").stream().allMatch(r -> r.args().get(0).op().equals("SCMP_CMP_EQ")));
        assertEquals("SCMP_CMP_NE", rulesFor(s, "socket").get(0).args().get(0).op());
    }

    @Test
    void sysAdminAllowsMountAndEveryClone() {
        List<String> caps = new ArrayList<>(SpecDefaults.CAPABILITIES);
        caps.add("CAP_SYS_ADMIN");
        ContainerSpec.Seccomp s = defaults(caps);
        assertEquals(1, rulesFor(s, "mount").size());
        assertEquals(1, rulesFor(s, "unshare").size());
        List<ContainerSpec.Syscall> clone = rulesFor(s, "clone");
        assertEquals(1, clone.size());
        assertEquals(null, clone.get(0).args());
        assertEquals("SCMP_ACT_ALLOW", rulesFor(s, "clone3").get(0).action());
        assertEquals(List.of(), rulesFor(defaults(List.of()), "chroot"), "chroot needs CAP_SYS_CHROOT");
    }

    @Test
    void minKernelAndArchitectureDecideToo() {
        SeccompProfile p = DefaultSeccompProfile.profile();
        assertEquals(List.of(), rulesFor(p.resolve(SpecDefaults.CAPABILITIES, "amd64", "4.4.0"), "ptrace"), "ptrace before 4.8");
        assertEquals(1, rulesFor(p.resolve(SpecDefaults.CAPABILITIES, "amd64", "4.8"), "ptrace").size());
        ContainerSpec.Seccomp s390 = p.resolve(SpecDefaults.CAPABILITIES, "s390x", "6.1");
        assertEquals(List.of("SCMP_ARCH_S390X", "SCMP_ARCH_S390"), s390.architectures());
        assertEquals(1, rulesFor(s390, "clone").get(0).args().get(0).index(), "s390 passes clone's flags second");
        assertEquals(List.of(), rulesFor(s390, "arch_prctl"));
        assertEquals(1, rulesFor(defaults(SpecDefaults.CAPABILITIES), "arch_prctl").size());
    }

    @Test
    void readsDockersJsonFormat(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("profile.json");
        Files.writeString(file, """
                {
                  "defaultAction": "SCMP_ACT_ALLOW",
                  "architectures": ["SCMP_ARCH_X86_64"],
                  "syscalls": [
                    {"name": "mkdir", "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
                    {"names": ["chmod", "fchmod"], "action": "SCMP_ACT_ERRNO",
                     "args": [{"index": 1, "value": 2048, "valueTwo": 2048, "op": "SCMP_CMP_MASKED_EQ"}],
                     "comment": "no setgid bit"},
                    {"names": ["acct"], "action": "SCMP_ACT_ERRNO", "includes": {"arches": ["s390x"]}},
                    {"names": ["swapon"], "action": "SCMP_ACT_ERRNO", "excludes": {"caps": ["CAP_SYS_ADMIN"]}}
                  ]
                }""");
        ContainerSpec.Seccomp s = SeccompProfile.read(file).resolve(List.of("CAP_SYS_ADMIN"), "amd64", "6.1");
        assertEquals("SCMP_ACT_ALLOW", s.defaultAction());
        assertEquals(List.of("SCMP_ARCH_X86_64"), s.architectures());
        assertEquals(2, s.syscalls().size(), s.syscalls().toString());
        assertEquals(new ContainerSpec.Syscall(List.of("mkdir"), "SCMP_ACT_ERRNO", 13, null), s.syscalls().get(0));
        assertEquals(List.of(new ContainerSpec.SyscallArg(1, 2048, 2048, "SCMP_CMP_MASKED_EQ")), s.syscalls().get(1).args());
    }

    @Test
    void badProfilesSayWhatIsWrong(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("p.json");
        Files.writeString(file, "{\"syscalls\": [");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SeccompProfile.read(file)).getMessage().contains("not valid JSON"));
        Files.writeString(file, "{\"syscalls\": []}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SeccompProfile.read(file)).getMessage().contains("no defaultAction"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SeccompProfile.read(dir.resolve("none.json")))
                .getMessage().startsWith("cannot read seccomp profile"));
        ContainerSpec.Seccomp bad = new ContainerSpec.Seccomp("SCMP_ACT_ERRNO", null, null, null, null,
                List.of(new ContainerSpec.Syscall(List.of("read"), "SCMP_ACT_FLY", null, null)));
        assertEquals("unknown seccomp action SCMP_ACT_FLY",
                assertThrows(IllegalArgumentException.class, () -> SeccompFilter.compile(bad)).getMessage());
    }

    @Test
    void kernelVersionsCompareNumerically() {
        assertTrue(SeccompProfile.compareVersions("6.18.44-fc-v857", "4.8") > 0);
        assertTrue(SeccompProfile.compareVersions("4.10", "4.8") > 0);
        assertTrue(SeccompProfile.compareVersions("4.4.0", "4.8") < 0);
        assertEquals(0, SeccompProfile.compareVersions("4.8.0", "4.8"));
    }

    @Test
    void defaultProfileCompilesToABpfProgramForThreeArchitectures(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("default.bpf");
        Files.createFile(file);
        int fd = Syscalls.open(file.toString(), Mman.O_RDWR);
        try {
            SeccompFilter.exportBpf(defaults(SpecDefaults.CAPABILITIES), fd);
        } finally {
            Syscalls.close(fd);
        }
        ByteBuffer bpf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.nativeOrder());
        int instructions = bpf.remaining() / 8;
        assertEquals(0, bpf.remaining() % 8);
        assertTrue(instructions > 300, "only " + instructions + " instructions for ~350 calls on 3 architectures");
        // it starts by loading seccomp_data.arch and comparing it with the architectures it knows
        assertEquals(0x20, bpf.getShort(0));
        assertEquals(4, bpf.getInt(4));
        List<Integer> jeqConstants = new ArrayList<>();
        for (int i = 1; i < Math.min(instructions, 12); i++) {
            if (bpf.getShort(i * 8) == 0x15) { // BPF_JMP|BPF_JEQ|BPF_K
                jeqConstants.add(bpf.getInt(i * 8 + 4));
            }
        }
        assertTrue(jeqConstants.contains(dev.minidocker.sys.Seccomp.SCMP_ARCH_X86_64), jeqConstants.toString());
        assertFalse(jeqConstants.isEmpty());
    }
}
