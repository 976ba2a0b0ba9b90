package dev.minidocker.vmm.kvm;

import jnr.ffi.Pointer;

/**
 * {@code struct kvm_userspace_memory_region}: "guest physical addresses [guestPhysAddr,
 * guestPhysAddr + size) are backed by host memory at userspaceAddr". A slot number names the
 * mapping so it can be changed or removed later.
 */
public record MemoryRegion(int slot, int flags, long guestPhysAddr, long memorySize, long userspaceAddr) {
    public static final int SIZE = 32;

    void write(Pointer p) {
        p.putInt(0, slot);
        p.putInt(4, flags);
        p.putLong(8, guestPhysAddr);
        p.putLong(16, memorySize);
        p.putLong(24, userspaceAddr);
    }
}
