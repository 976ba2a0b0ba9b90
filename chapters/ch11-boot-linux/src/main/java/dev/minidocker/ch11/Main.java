package dev.minidocker.ch11;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import dev.minidocker.chapter.Narrator;
import dev.minidocker.lab.CgroupMode;
import dev.minidocker.lab.Lab;
import dev.minidocker.lab.LabException;
import dev.minidocker.lab.LabOptions;
import dev.minidocker.sys.SyscallException;
import dev.minidocker.vmm.boot.BootMemoryMap;
import dev.minidocker.vmm.boot.BootParams;
import dev.minidocker.vmm.boot.BzImage;
import dev.minidocker.vmm.boot.DefaultInitramfs;
import dev.minidocker.vmm.boot.DefaultKernel;
import dev.minidocker.vmm.boot.E820;
import dev.minidocker.vmm.boot.LinuxBoot;
import dev.minidocker.vmm.cli.VmCommand;
import dev.minidocker.vmm.kvm.VmmException;

/**
 * Chapter 11: booting Linux. A boot loader's whole job, done by the VMM: read the kernel's setup
 * header, place the kernel, command line and initrd in guest memory, fill the zero page, and
 * start the vCPU at the 64-bit entry point with rsi pointing at it. Then Linux runs to init.
 *
 * <p>Booting needs hardware KVM. On a machine whose /dev/kvm is software-only (kvm_pvm), pass
 * {@code --lab}: the boot then runs inside the lab guest, where KVM is hardware-style.
 */
public final class Main {
    public static final long MEMORY = 256L << 20;
    public static final String COMMAND = "uname -a; cat /proc/cmdline; grep -m1 'model name' /proc/cpuinfo";

    private Main() {
    }

    public static void main(String[] args) {
        boolean lab = Arrays.asList(args).contains("--lab");
        try {
            demo(Narrator.fromArgs(args), lab);
        } catch (VmmException | SyscallException | LabException | IllegalArgumentException e) {
            System.err.println("ch11: " + e.getMessage());
            System.exit(125);
        }
    }

    /** Where a 256 MiB guest gets each part, computed by the same rules the VMM uses. */
    record Plan(long kernelEnd, long initrd, long initrdSize, String cmdline) {
    }

    static Plan plan(BzImage kernel, long memory, long initrdSize, String cmdline) {
        BootMemoryMap.checkCmdline(kernel, cmdline);
        long end = BootMemoryMap.kernelEnd(kernel);
        return new Plan(end, BootMemoryMap.initrdAddress(memory, initrdSize, kernel.initrdAddrMax(), end), initrdSize, cmdline);
    }

    /** The zero page the loader hands this kernel for this plan. */
    static byte[] zeroPage(BzImage kernel, Plan plan, long memory) {
        return BootParams.build(kernel, new BootParams.Placement(BootMemoryMap.CMDLINE, plan.initrd(), plan.initrdSize(),
                E820.forMemory(memory)));
    }

    /** The memory map with this kernel's numbers, lowest address first. */
    static List<String> memoryMap(Plan p, long memory) {
        return List.of(
                String.format("0x%09x  GDT (0x10 code64, 0x18 data)", BootMemoryMap.GDT),
                String.format("0x%09x  zero page (boot_params), rsi", BootMemoryMap.ZERO_PAGE),
                String.format("0x%09x  page tables: PML4, PDPT, 4 directories (identity, 4 GiB)", BootMemoryMap.PML4),
                String.format("0x%09x  command line: \"%s\"", BootMemoryMap.CMDLINE, p.cmdline()),
                String.format("0x%09x  reserved to 1 MiB (e820 type 2)", E820.LOW_RAM_END),
                String.format("0x%09x  protected-mode kernel; entry 0x%x", BootMemoryMap.KERNEL, BootMemoryMap.KERNEL + BzImage.ENTRY_64_OFFSET),
                String.format("0x%09x  end of what the kernel unpacks into (pref_address + init_size)", p.kernelEnd()),
                String.format("0x%09x  initramfs, %d KiB", p.initrd(), p.initrdSize() >> 10),
                String.format("0x%09x  end of RAM (%d MiB)", memory, memory >> 20));
    }

    public static void demo(Narrator n, boolean viaLab) {
        n.title("Chapter 11: Booting Linux");

        n.step("Find a kernel: the host's /boot/vmlinuz-*, else Debian's as the lab caches it",
                "a bzImage: boot sector and real-mode setup, then the protected-mode kernel");
        Path path = DefaultKernel.find(System.err);
        BzImage kernel = LinuxBoot.readKernel(path);
        n.host(path + " (" + kernel.version() + ")");

        n.step("Read the setup header at 0x1f1: what the kernel asks of its boot loader",
                "protocol 2.12+ (64-bit entry), where the kernel wants to run and how much room it needs");
        n.host(String.format("boot protocol %s, setup_sects %d: protected-mode kernel at file offset 0x%x, %d KiB",
                kernel.protocolText(), kernel.setupSects(), kernel.protectedModeOffset(), kernel.protectedModeSize() >> 10));
        n.host(String.format("pref_address 0x%x, init_size %d MiB, kernel_alignment 0x%x, relocatable %s",
                kernel.prefAddress(), kernel.initSize() >> 20, kernel.kernelAlignment(), kernel.relocatable()));
        n.host(String.format("initrd_addr_max 0x%x, cmdline_size %d, xloadflags 0x%x (bit 0: 64-bit entry at +0x200)",
                kernel.initrdAddrMax(), kernel.cmdlineSize(), kernel.xloadflags()));

        n.step("Place everything in a " + (MEMORY >> 20) + " MiB guest",
                "the initrd as high as it may go, out of the way of the kernel unpacking itself");
        byte[] initramfs = DefaultInitramfs.build(COMMAND);
        String cmdline = LinuxBoot.BASE_CMDLINE + " quiet";
        Plan plan = plan(kernel, MEMORY, initramfs.length, cmdline);
        for (String line : memoryMap(plan, MEMORY)) {
            n.host(line);
        }

        n.step("Fill the zero page: the header copied from the file, then the loader's fields",
                "type_of_loader 0xff, loadflags, cmd_line_ptr, ramdisk_image/size, the e820 map");
        byte[] page = zeroPage(kernel, plan, MEMORY);
        ByteBuffer b = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
        n.host(String.format("0x210 type_of_loader 0x%02x   0x211 loadflags 0x%02x   0x228 cmd_line_ptr 0x%x",
                page[BootParams.TYPE_OF_LOADER] & 0xff, page[BootParams.LOADFLAGS] & 0xff, b.getInt(BootParams.CMD_LINE_PTR)));
        n.host(String.format("0x218 ramdisk_image 0x%x   0x21c ramdisk_size %d   0x1e8 e820_entries %d",
                b.getInt(BootParams.RAMDISK_IMAGE), b.getInt(BootParams.RAMDISK_SIZE), page[BootParams.E820_ENTRIES]));
        for (E820.Entry e : E820.forMemory(MEMORY)) {
            n.host(String.format("e820: [0x%09x-0x%09x] %s", e.address(), e.end() - 1, e.type() == E820.RAM ? "usable" : "reserved"));
        }

        n.step("Boot: long mode, CS 0x10, rip = 1 MiB + 0x200, rsi = 0x7000; the kernel does the rest",
                "its console on our 8250 UART; init prints a banner, runs a command, powers off through port 0xf4");
        List<String> args = List.of("boot", "--append", "quiet", "--stats", "--exec", COMMAND);
        if (Files.exists(Path.of("/sys/module/kvm_pvm")) && !viaLab) {
            n.say("This machine's /dev/kvm emulates instructions in software: Linux would sit in its decompressor.");
            n.say("Run the chapter with --lab to boot inside the lab guest (hardware-style KVM), or on a machine with KVM.");
        } else if (viaLab) {
            n.say("in the lab guest: ./mini vm " + String.join(" ", args));
            Lab.Outcome o = Lab.fromEnvironment().capture(new LabOptions(CgroupMode.V2, Duration.ofMinutes(4),
                    LabOptions.DEFAULT_MEMORY_MIB), Lab.javaCommand(VmCommand.class.getName(), args.toArray(String[]::new)));
            n.guestLines(o.output().replace("\r\n", "\n") + o.errors());
            n.host("exit status " + o.status());
        } else {
            ByteArrayOutputStream serial = new ByteArrayOutputStream();
            LinuxBoot.Result r = LinuxBoot.boot(new LinuxBoot.Options(path, null, "quiet", MEMORY, COMMAND, null), serial, null);
            n.guestLines(serial.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));
            n.host(String.format("init after %.2f s; the guest %s with status %d", (r.init() - r.started()) / 1e9, r.reason(), r.status()));
        }
        n.conclude("A boot loader is a few hundred lines of placing bytes and filling one page; Linux finds the rest itself.");
    }

    /** Quiet narration for tests. */
    static Narrator silent(PrintStream out) {
        return new Narrator(out, false);
    }
}
