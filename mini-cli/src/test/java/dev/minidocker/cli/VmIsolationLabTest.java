package dev.minidocker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.minidocker.lab.CgroupMode;
import dev.minidocker.lab.Lab;
import dev.minidocker.lab.LabOptions;
import dev.minidocker.sys.Privileged;

/**
 * {@code mini run --isolation vm} for real: in the lab guest, where KVM is hardware-style, mini
 * boots a Linux guest per container. One lab boot, four VM boots (each about half a minute on the
 * lab's emulated CPU), each checking what the command inside saw. The image has three layers:
 * busybox's sh and cat, then /etc/gone and /etc/kept, then a whiteout of /etc/gone and /data/upper.
 */
@Tag("lab")
class VmIsolationLabTest {
    private static final Path PROJECT = Path.of(System.getenv().getOrDefault("MINI_PROJECT_ROOT", "..")).toAbsolutePath().normalize();

    /** What the command reports, using nothing but sh's builtins and the image's own cat. */
    private static final String SEEN = String.join("\n",
            "echo \"release=$(cat /proc/sys/kernel/osrelease)\"",
            "case \"$(cat /proc/cpuinfo)\" in *' hypervisor'*) echo hypervisor=yes ;; esac",
            "case \"$(cat /proc/cmdline)\" in *rdinit=/.mini/init*) echo own-kernel-cmdline=yes ;; esac",
            "while read -r k v u; do [ \"$k\" = MemTotal: ] && echo \"memtotal=$v\"; done < /proc/meminfo",
            "echo \"hostname=$(cat /proc/sys/kernel/hostname)\"",
            "echo \"cwd=$(pwd)\"",
            "echo \"greeting=$GREETING\"",
            "echo \"path=$PATH\"",
            "echo \"upper=$(cat /data/upper)\"",
            "echo \"kept=$(cat /etc/kept)\"",
            "[ -e /etc/gone ] && echo gone=present || echo gone=absent",
            "[ -e " + PROJECT.resolve("pom.xml") + " ] && echo host-checkout=present || echo host-checkout=absent",
            "[ -e /usr/bin/java ] && echo host-java=present || echo host-java=absent",
            "read -r line; echo \"stdin=$line\"",
            "echo to-stderr >&2",
            "exit 42");

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    @Test
    void aVmIsolatedContainerRunsTheImageInItsOwnKernel() throws Exception {
        Privileged.requireRoot();
        Privileged.require(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")),
                "needs qemu-system-x86_64 (apt-get install qemu-system-x86) for the lab guest");
        Privileged.require(Files.exists(Path.of("/bin/busybox")), "needs busybox-static (apt-get install busybox-static)");
        // under target/ of the checkout: the lab guest sees the checkout, not the host's /tmp
        Path layout = PROJECT.resolve("mini-cli/target/vm-lab-image");
        if (Files.exists(layout)) {
            dev.minidocker.container.fs.FileTrees.delete(layout);
        }
        dev.minidocker.container.image.TestImages.layout(layout, "v1", List.of(
                dev.minidocker.container.image.TestImages.busyboxLayer(),
                dev.minidocker.container.image.TestImages.layer(dev.minidocker.container.image.TestImages.files(
                        "etc/gone", "deleted above\n", "etc/kept", "kept\n")),
                dev.minidocker.container.image.TestImages.layer(dev.minidocker.container.image.TestImages.files(
                        "etc/.wh.gone", "", "data/upper", "from the upper layer\n"))));
        Lab lab = Lab.fromEnvironment();
        String release = lab.prepare(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).kernelRelease();

        String mini = Lab.javaCommand(Main.class.getName()).stream().map(VmIsolationLabTest::quote).collect(Collectors.joining(" "));
        String image = "vmtest/layers:v1";
        String script = String.join("\n",
                "export MINI_ROOT=/tmp/vm-lab-store",
                "cd /tmp",
                mini + " load --name " + image + " " + quote(layout.toString()) + " >/dev/null || exit 90",
                // 1: output, status, kernel, files, env, cwd, stdin
                "echo from-stdin | " + mini + " run --isolation vm --hostname vmbox -e GREETING=hello -w /data " + image
                        + " sh -c " + quote(SEEN) + " 2>err1",
                "echo \"status1=$?\"",
                "echo \"stderr1=$(grep -v 'making the VM' err1)\"",
                // 2: a command that is not there
                mini + " run --isolation vm " + image + " no-such-command </dev/null 2>err2",
                "echo \"status2=$?\"",
                "echo \"stderr2=$(cat err2)\"",
                // 3: a kernel panic inside the guest
                mini + " run --isolation vm " + image + " sh -c 'echo c > /proc/sysrq-trigger' </dev/null 2>err3",
                "echo \"status3=$?\"",
                "echo \"stderr3-first=$(head -1 err3)\"",
                "echo \"stderr3-lines=$(wc -l < err3)\"",
                // 4: SIGTERM to mini while the command waits on its stdin
                // (no pipeline: sh's wait would wait for all of it; a fifo kept open by sleep is stdin instead)
                "mkfifo in4; sleep 1000 > in4 & feeder=$!",
                mini + " run --isolation vm " + image + " sh -c 'echo started; cat' <in4 >out4 2>&1 &",
                "pid=$!",
                "i=0; while ! grep -q started out4 && [ $i -lt 400 ]; do sleep 1; i=$((i+1)); done",
                "echo \"started4=$(grep -c started out4)\"",
                "kill -TERM $pid; wait $pid; echo \"status4=$?\"",
                "kill $feeder",
                "sleep 1",
                "echo \"left4=$(ps -eo comm | grep -c '^java$')\"",
                "echo \"cache=$(ls /tmp/vm-lab-store/vm/initramfs | tr '\\n' ' ')\"");
        Lab.Outcome o = lab.capture(new LabOptions(CgroupMode.V2, Duration.ofMinutes(25), LabOptions.DEFAULT_MEMORY_MIB),
                List.of("sh", "-c", script));
        String out = o.output().replace("\r\n", "\n");
        String all = out + o.errors();

        // 1
        assertTrue(out.contains("status1=42\n"), all);
        assertTrue(out.contains("release=" + release + "\n"), "the guest kernel's release\n" + all);
        assertTrue(out.contains("hypervisor=yes\n"), "CPUID's hypervisor bit\n" + all);
        assertTrue(out.contains("own-kernel-cmdline=yes\n"), "booted with mini-vmm's command line\n" + all);
        long memKib = Long.parseLong(out.replaceAll("(?s).*memtotal=(\\d+)\n.*", "$1"));
        assertTrue(memKib > 150_000 && memKib < 262_144, "MemTotal " + memKib + " KiB: the 256 MiB guest's, not the lab's\n" + all);
        assertTrue(out.contains("hostname=vmbox\n"), all);
        assertTrue(out.contains("cwd=/data\n"), all);
        assertTrue(out.contains("greeting=hello\n"), all);
        assertTrue(out.contains("path=/bin\n"), "the image's PATH\n" + all);
        assertTrue(out.contains("upper=from the upper layer\n"), all);
        assertTrue(out.contains("kept=kept\n"), all);
        assertTrue(out.contains("gone=absent\n"), "whited out by the upper layer\n" + all);
        assertTrue(out.contains("host-checkout=absent\n"), all);
        assertTrue(out.contains("host-java=absent\n"), all);
        assertTrue(out.contains("stdin=from-stdin\n"), "stdin reached the command\n" + all);
        // the first run also says it made the image's initramfs; nothing of the kernel's console is there
        assertTrue(out.contains("stderr1=to-stderr\n"), "stderr apart from stdout, no console lines in it\n" + all);
        // 2
        assertTrue(out.contains("status2=127\n"), all);
        assertTrue(out.contains("stderr2=mini: exec: \"no-such-command\": executable file not found in $PATH\n"), all);
        // 3
        assertTrue(out.contains("status3=125\n"), all);
        assertTrue(out.contains("stderr3-first=mini: the guest kernel panicked: Kernel panic - not syncing: sysrq triggered crash\n"), all);
        int lines = Integer.parseInt(out.replaceAll("(?s).*stderr3-lines=\\s*(\\d+)\n.*", "$1"));
        assertTrue(lines > 2 && lines < 20, "the panic line and the console's last lines\n" + all);
        // 4
        assertTrue(out.contains("started4=1\n"), all);
        assertEquals(true, out.contains("status4=143\n"), "128 + SIGTERM\n" + all);
        assertTrue(out.contains("left4=0\n"), "nothing left running\n" + all);
        assertTrue(out.matches("(?s).*cache=[0-9a-f]{16}\\.cpio\\.gz \n.*"), "one cached archive, no work directory\n" + all);
    }
}
