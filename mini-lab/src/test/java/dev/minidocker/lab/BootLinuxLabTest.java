package dev.minidocker.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.minidocker.sys.Privileged;
import dev.minidocker.vmm.boot.DefaultInitramfs;
import dev.minidocker.vmm.cli.VmCommand;

/**
 * Boots Linux in mini-vmm for real, inside the lab guest (hardware-style nested KVM): one lab
 * boot, one Linux boot, the default kernel and initramfs, and an --exec script whose output and
 * exit status say what the booted guest saw. It lives here, not in mini-vmm, because the lab
 * builds on the VMM: mini-vmm knows nothing of the lab.
 */
@Tag("lab")
class BootLinuxLabTest {
    private static final String SCRIPT = String.join("; ",
            "echo \"release=$(uname -r)\"",
            "echo \"cpus=$(grep -c ^processor /proc/cpuinfo)\"",
            "grep -q '^flags.* hypervisor' /proc/cpuinfo && echo hypervisor=yes",
            "echo \"model=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2)\"",
            "echo \"tmpfs=$(grep ' /tmp ' /proc/mounts | cut -d' ' -f3)\"",
            "echo written-in-the-guest > /tmp/file",
            "echo \"readback=$(cat /tmp/file)\"",
            "echo \"memtotal=$(grep MemTotal /proc/meminfo | tr -s ' ' | cut -d' ' -f2)\"",
            "exit 42");

    @Test
    void bootsTheDefaultKernelAndInitramfsAndRunsACommand() {
        Privileged.requireRoot();
        Privileged.require(java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/qemu-system-x86_64")),
                "needs qemu-system-x86_64 (apt-get install qemu-system-x86)");
        Lab lab = Lab.fromEnvironment();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        String release = lab.prepare(new PrintStream(progress, true, StandardCharsets.UTF_8)).kernelRelease();

        List<String> command = Lab.javaCommand(VmCommand.class.getName(), "boot", "--mem", "256m",
                "--append", "quiet", "--stats", "--exec", SCRIPT);
        Lab.Outcome o = lab.capture(new LabOptions(CgroupMode.V2, Duration.ofMinutes(4), LabOptions.DEFAULT_MEMORY_MIB), command);
        String out = o.output().replace("\r\n", "\n");   // the guest's tty ends lines with CR LF

        assertEquals(42, o.status(), () -> "exit status of --exec through the debug-exit port\n" + out + o.errors());
        assertTrue(out.contains(DefaultInitramfs.INIT_BANNER + " on Linux " + release), out);
        assertTrue(out.contains("release=" + release + "\n"), out);
        assertTrue(out.contains("cpus=1\n"), out);
        assertTrue(out.contains("hypervisor=yes\n"), "CPUID's hypervisor bit\n" + out);
        assertTrue(out.contains("tmpfs=tmpfs\n"), out);
        assertTrue(out.contains("readback=written-in-the-guest\n"), out);
        assertTrue(out.contains("@@MINI-VM-EXIT 42@@"), out);
        long memKib = Long.parseLong(out.replaceAll("(?s).*memtotal=(\\d+)\n.*", "$1"));
        assertTrue(memKib > 180_000 && memKib < 262_144, "MemTotal " + memKib + " KiB of a 256 MiB guest (e820)");
        assertTrue(out.contains("boot: init running"), "--stats\n" + out);
        assertTrue(out.contains("powered off through the debug-exit port (0xf4)"), out);
    }
}
