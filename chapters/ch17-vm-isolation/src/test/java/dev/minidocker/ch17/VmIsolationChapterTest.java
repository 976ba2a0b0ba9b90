package dev.minidocker.ch17;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.minidocker.chapter.Narrator;
import dev.minidocker.container.image.DefaultImages;
import dev.minidocker.container.image.Image;
import dev.minidocker.container.image.ImageStore;
import dev.minidocker.container.vm.GuestInit;
import dev.minidocker.container.vm.ImageInitramfs;
import dev.minidocker.sys.Privileged;
import dev.minidocker.vmm.boot.Cpio;
import dev.minidocker.vmm.kvm.KvmKind;
import dev.minidocker.vmm.memory.GuestMemory;
import dev.minidocker.vmm.memory.Smaps;

/** The chapter's claims, on any machine; booting the guest itself is the lab's (VmIsolationLabTest in mini-cli). */
class VmIsolationChapterTest {
    private static final Path BUSYBOX = Path.of("/bin/busybox");

    @TempDir
    Path tmp;

    @Test
    void theCommandReachesTheGuestsShellWordForWordWithNothingExpanded() throws Exception {
        Privileged.require(Files.isExecutable(BUSYBOX), "needs busybox-static (apt-get install busybox-static)");
        Path marker = tmp.resolve("ran");
        List<String> args = List.of("sh", "-c", "echo 'it''s' \"$HOME\"", "$(touch " + marker + ")", "`touch " + marker + "`",
                "don't", "a\nb", "*", "");
        Path conf = Files.writeString(tmp.resolve("run.conf"),
                GuestInit.runConfig(new GuestInit.VmProcess(args, List.of("PATH=/bin"), "/", "box", 0, 0)));
        Process sh = new ProcessBuilder(BUSYBOX.toString(), "sh", "-c",
                ". " + conf + "; for a in \"$@\"; do printf '<%s>' \"$a\"; done").redirectErrorStream(true).start();
        String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, sh.waitFor(), out);
        StringBuilder expected = new StringBuilder();
        args.forEach(a -> expected.append('<').append(a).append('>'));
        assertEquals(expected.toString(), out);
        assertFalse(Files.exists(marker), "a command substitution in an argument ran");
    }

    /** The mapping's VmFlags, as the kernel records them in /proc/self/smaps. */
    private static List<String> vmFlags(long address) {
        return Smaps.of(address).orElseThrow(() -> new AssertionError("no mapping at 0x" + Long.toHexString(address))).vmFlags();
    }

    @Test
    void guestRamIsOfferedToKsm() throws Exception {
        Privileged.require(Files.isDirectory(Path.of("/sys/kernel/mm/ksm")), "needs a kernel with KSM (CONFIG_KSM)");
        try (GuestMemory ram = GuestMemory.allocate(0, 8L << 20)) {
            assertFalse(vmFlags(ram.hostAddress()).contains("mg"));
            assertTrue(ram.markMergeable(), "madvise(MADV_MERGEABLE) failed");
            assertTrue(vmFlags(ram.hostAddress()).contains("mg"), "VM_MERGEABLE ('mg') set on the whole of guest RAM");
            assertTrue(ram.usage().mergeable());
        }
    }

    @Test
    void theImageBecomesAnInitramfsWithItsOwnFilesAndMinisInit() throws Exception {
        Privileged.requireRoot();
        Privileged.require(Files.isExecutable(BUSYBOX), "needs busybox-static (apt-get install busybox-static)");
        ImageStore store = ImageStore.open(tmp.resolve("store"));
        Image image = DefaultImages.ensureBusybox(store, new PrintStream(PrintStream.nullOutputStream()));
        Map<String, Cpio.Entry> tree = Cpio.tree(Files.readAllBytes(ImageInitramfs.ensure(store, image,
                new PrintStream(PrintStream.nullOutputStream()))));
        assertTrue(tree.containsKey("bin/busybox") || tree.containsKey("bin/sh"), "the image's own files: " + tree.keySet());
        assertTrue(tree.get(".mini/init").data().length > 0);
        assertTrue(new String(tree.get(".mini/init").data(), StandardCharsets.UTF_8).startsWith("#!/.mini/busybox sh\n"));
        assertFalse(tree.containsKey("init"), "rdinit=/.mini/init: the image's / is left as the image has it");
    }

    @Test
    void theDemoRunsToItsEndOrSaysItNeedsTheLab() throws Exception {
        Privileged.requireRoot();
        Privileged.require(Files.isExecutable(BUSYBOX), "needs busybox-static (apt-get install busybox-static)");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Main.demo(new Narrator(new PrintStream(out, true, StandardCharsets.UTF_8), false), tmp.resolve("store"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("kernel " + Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip()),
                "the namespace container runs on the host's kernel\n" + text);
        assertTrue(text.contains("vm/initramfs/"), text);
        assertTrue(text.contains("MINI_HOSTNAME='vmbox'"), text);
        if (KvmKind.detect().bootsLinux()) {
            assertTrue(text.contains("What the boundary cost"), text);
            assertTrue(text.contains("KSM mergeable"), text);
        } else {
            assertTrue(text.contains("Run the chapter with --lab"), text);
        }
    }
}
