package dev.minidocker.vmm.memory;

import java.nio.charset.StandardCharsets;

import dev.minidocker.sys.Mman;
import dev.minidocker.sys.Syscalls;
import jnr.ffi.Pointer;

/**
 * The guest's RAM: anonymous host memory from mmap, which KVM maps at guest-physical address
 * {@code base}. Reads and writes here are what the guest sees at the same physical addresses:
 * there is no copy, the guest and the VMM share these pages.
 */
// tag::guestmemory[]
public final class GuestMemory implements AutoCloseable {
    private final Pointer host;
    private final long base;
    private final long size;
    private boolean mergeable;

    private GuestMemory(Pointer host, long base, long size) {
        this.host = host;
        this.base = base;
        this.size = size;
    }

    /** mmap(NULL, size, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE): zeroed pages. */
    public static GuestMemory allocate(long base, long size) {
        if (size <= 0 || size % 4096 != 0) {
            throw new IllegalArgumentException("guest memory size must be a positive multiple of 4 KiB: " + size);
        }
        if (size >= HUGE_PAGE) {
            return new GuestMemory(hugePageAligned(size), base, size);
        }
        Pointer p = Syscalls.mmap(size, Mman.PROT_READ | Mman.PROT_WRITE,
                Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS | Mman.MAP_NORESERVE, -1, 0, "guest memory, " + size + " bytes");
        return new GuestMemory(p, base, size);
    }
    // end::guestmemory[]

    static final long HUGE_PAGE = 2L << 20;

    /**
     * Memory starting on a 2 MiB boundary and marked for transparent huge pages, as qemu does:
     * then KVM can map the guest's 2 MiB with one nested page-table entry instead of 512, and a
     * booting kernel takes a few dozen nested page faults instead of tens of thousands.
     */
    private static Pointer hugePageAligned(long size) {
        long slack = HUGE_PAGE;
        Pointer raw = Syscalls.mmap(size + slack, Mman.PROT_READ | Mman.PROT_WRITE,
                Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS | Mman.MAP_NORESERVE, -1, 0, "guest memory, " + size + " bytes");
        long start = raw.address();
        long aligned = (start + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
        jnr.ffi.Runtime runtime = dev.minidocker.sys.Native.runtime();
        if (aligned > start) {
            Syscalls.munmap(Pointer.wrap(runtime, start), aligned - start);
        }
        long tail = start + size + slack - (aligned + size);
        if (tail > 0) {
            Syscalls.munmap(Pointer.wrap(runtime, aligned + size), tail);
        }
        Pointer memory = Pointer.wrap(runtime, aligned);
        // a hint only: without THP support the memory still works, in 4 KiB pages
        advise(memory, size, Mman.MADV_HUGEPAGE);
        return memory;
    }

    // tag::mergeable[]
    /**
     * Offers the guest's RAM to KSM (kernel same-page merging): ksmd then scans these pages and
     * maps identical ones, across all VMs that did the same, to one copy-on-write page. Many
     * guests booting the same kernel and initramfs hold many identical pages, which is how
     * VM-isolated containers win back most of the memory a kernel per container costs.
     * Returns false where the kernel has no KSM (EINVAL): the memory still works, unmerged.
     */
    public boolean markMergeable() {
        // exercise:begin ch17-mergeable "advise(host, size, ...) with Mman.MADV_MERGEABLE: the whole of guest RAM; keep the answer in mergeable and return it"
        mergeable = advise(host, size, Mman.MADV_MERGEABLE);
        return mergeable;
        // exercise:end ch17-mergeable
    }
    // end::mergeable[]

    /** Whether {@link #markMergeable} succeeded. */
    public boolean mergeable() {
        return mergeable;
    }

    private static boolean advise(Pointer memory, long size, int advice) {
        try {
            Syscalls.madvise(memory, size, advice, "guest memory, " + size + " bytes");
            return true;
        } catch (dev.minidocker.sys.SyscallException e) {
            return false;
        }
    }

    /** How much of the guest's RAM the host holds: what the guest touched, and what KSM merged. */
    public record Usage(long size, long residentBytes, long ksmMergingPages, boolean mergeable) {
        public String describe() {
            return String.format("guest memory %d MiB, resident on the host %.1f MiB, KSM %s%s", size >> 20,
                    residentBytes / 1048576.0, mergeable ? "mergeable" : "not available",
                    ksmMergingPages >= 0 ? ", " + ksmMergingPages + " pages merged (ksm_merging_pages)" : "");
        }
    }

    /**
     * Reads /proc/self/smaps for this mapping's Rss ({@link Smaps}), and /proc/self/ksm_merging_pages (Linux 5.19+,
     * -1 where missing) for the pages KSM merged: one VM per mini process, so the process's count is the VM's.
     */
    public Usage usage() {
        long rss = Smaps.of(hostAddress()).map(Smaps::rssBytes).orElse(-1L);
        long merged = -1;
        try {
            merged = Long.parseLong(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/ksm_merging_pages")).strip());
        } catch (java.io.IOException | NumberFormatException e) {
            // older kernel
        }
        return new Usage(size, rss, merged, mergeable);
    }

    /** The host virtual address KVM needs for KVM_SET_USER_MEMORY_REGION. */
    public long hostAddress() {
        return host.address();
    }

    public long base() {
        return base;
    }

    public long size() {
        return size;
    }

    public boolean contains(long guestAddress, long length) {
        return guestAddress >= base && length >= 0 && guestAddress - base + length <= size;
    }

    private long offset(long guestAddress, long length) {
        if (!contains(guestAddress, length)) {
            throw new IllegalArgumentException(String.format(
                    "guest address 0x%x (+%d) is outside guest memory 0x%x-0x%x", guestAddress, length, base, base + size));
        }
        return guestAddress - base;
    }

    public void write(long guestAddress, byte[] bytes) {
        host.put(offset(guestAddress, bytes.length), bytes, 0, bytes.length);
    }

    public byte[] read(long guestAddress, int length) {
        byte[] out = new byte[length];
        host.get(offset(guestAddress, length), out, 0, length);
        return out;
    }

    public int readU8(long guestAddress) {
        return host.getByte(offset(guestAddress, 1)) & 0xff;
    }

    public int readU16(long guestAddress) {
        return host.getShort(offset(guestAddress, 2)) & 0xffff;
    }

    public long readU32(long guestAddress) {
        return host.getInt(offset(guestAddress, 4)) & 0xffffffffL;
    }

    public long readU64(long guestAddress) {
        return host.getLong(offset(guestAddress, 8));
    }

    public void writeU8(long guestAddress, int value) {
        host.putByte(offset(guestAddress, 1), (byte) value);
    }

    public void writeU16(long guestAddress, int value) {
        host.putShort(offset(guestAddress, 2), (short) value);
    }

    public void writeU32(long guestAddress, long value) {
        host.putInt(offset(guestAddress, 4), (int) value);
    }

    public void writeU64(long guestAddress, long value) {
        host.putLong(offset(guestAddress, 8), value);
    }

    /** A NUL-terminated string as the guest left it, or up to max bytes. */
    public String readCString(long guestAddress, int max) {
        byte[] b = read(guestAddress, max);
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        Syscalls.munmap(host, size);
    }
}
