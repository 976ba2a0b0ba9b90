package dev.minidocker.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

class LabOptionsTest {

    @Test
    void memorySizesReadLikeQemusMinusM() {
        assertEquals(3072, LabOptions.parseMemory("3072m"));
        assertEquals(3072, LabOptions.parseMemory("3072"));
        assertEquals(4096, LabOptions.parseMemory("4g"));
        assertEquals(2048, LabOptions.parseMemory("2G"));
        assertThrows(IllegalArgumentException.class, () -> LabOptions.parseMemory("lots"));
        assertThrows(IllegalArgumentException.class, () -> LabOptions.parseMemory("64m"));
    }

    @Test
    void cgroupModesAndTheirKernelParameters() {
        assertEquals(CgroupMode.V2, CgroupMode.parse("v2"));
        assertEquals(CgroupMode.HYBRID, CgroupMode.parse("hybrid"));
        assertEquals(List.of("cgroup_no_v1=all"), CgroupMode.V2.kernelParameters());
        assertTrue(CgroupMode.HYBRID.kernelParameters().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> CgroupMode.parse("v1"));
    }

    @Test
    void theDebianKernelPackageIsReadFromAptCacheDepends() {
        String apt = "linux-image-amd64\n  Depends: linux-image-6.1.0-56-amd64\n";
        assertEquals("linux-image-6.1.0-56-amd64", Kernel.packageFromDepends(apt));
        assertEquals("6.1.0-56-amd64", Kernel.releaseOf("linux-image-6.1.0-56-amd64"));
        assertEquals(null, Kernel.packageFromDepends("linux-image-amd64\n"));
    }

    @Test
    void qemuIsStartedWithoutNetworkAndWithTheHostRootReadOnly() {
        LabImage image = new LabImage("6.1.0-56-amd64", java.nio.file.Path.of("/c/vmlinux"), java.nio.file.Path.of("/c/i"));
        List<String> argv = new LabMachine(image, LabOptions.defaults())
                .qemuCommand(java.nio.file.Path.of("/usr/bin/qemu-system-x86_64"), java.nio.file.Path.of("/c/run.img"));
        String line = String.join(" ", argv);
        assertTrue(line.contains("-nic none"), line);
        assertTrue(line.contains("-accel tcg -cpu max"), line);
        assertTrue(line.contains("path=/,mount_tag=hostroot,security_model=none,readonly=on"), line);
        assertTrue(argv.get(argv.indexOf("-append") + 1).contains("cgroup_no_v1=all"), line);
        assertEquals("3072", argv.get(argv.indexOf("-m") + 1));
    }

    @Test
    void aBadCgroupModeIsOneLineAndExitStatus2() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int status = new CommandLine(new LabCommand()).execute("run", "--cgroup", "v3", "--", "true");
            assertEquals(2, status);
        } finally {
            System.setErr(old);
        }
        assertEquals("mini lab: unknown cgroup mode 'v3' (use v2 or hybrid)\n", err.toString(StandardCharsets.UTF_8));
    }
}
