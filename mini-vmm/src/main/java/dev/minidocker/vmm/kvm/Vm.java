package dev.minidocker.vmm.kvm;

import static dev.minidocker.vmm.kvm.KvmIoctl.KVM_CREATE_IRQCHIP;
import static dev.minidocker.vmm.kvm.KvmIoctl.KVM_CREATE_PIT2;
import static dev.minidocker.vmm.kvm.KvmIoctl.KVM_CREATE_VCPU;
import static dev.minidocker.vmm.kvm.KvmIoctl.KVM_IRQ_LINE;
import static dev.minidocker.vmm.kvm.KvmIoctl.KVM_PIT_SPEAKER_DUMMY;
import static dev.minidocker.vmm.kvm.KvmIoctl.KVM_SET_IDENTITY_MAP_ADDR;
import static dev.minidocker.vmm.kvm.KvmIoctl.KVM_SET_TSS_ADDR;
import static dev.minidocker.vmm.kvm.KvmIoctl.KVM_SET_USER_MEMORY_REGION;

import dev.minidocker.sys.Mman;
import dev.minidocker.sys.Native;
import dev.minidocker.sys.Syscalls;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/** A virtual machine: its memory map, its vCPUs and its interrupt controllers. */
public final class Vm implements AutoCloseable {
    private final Kvm kvm;
    private final int fd;
    // KVM_IRQ_LINE may be called from another thread (e.g. a UART input thread)
    private final ThreadLocal<Pointer> irqLevel =
            ThreadLocal.withInitial(() -> Memory.allocateDirect(Native.runtime(), 8, true));

    Vm(Kvm kvm, int fd) {
        this.kvm = kvm;
        this.fd = fd;
    }

    public int fd() {
        return fd;
    }

    // tag::memory-region[]
    /** KVM_SET_USER_MEMORY_REGION: back a range of guest-physical addresses with host memory. */
    public void setUserMemoryRegion(MemoryRegion region) {
        Pointer p = Memory.allocateDirect(Native.runtime(), MemoryRegion.SIZE, true);
        region.write(p);
        Syscalls.ioctl(fd, KVM_SET_USER_MEMORY_REGION, p, "KVM_SET_USER_MEMORY_REGION slot " + region.slot());
    }
    // end::memory-region[]

    /** KVM_SET_TSS_ADDR: three pages of guest-physical space Intel's VMX needs for real mode. */
    public void setTssAddr(long address) {
        Syscalls.ioctl(fd, KVM_SET_TSS_ADDR, address, "KVM_SET_TSS_ADDR");
    }

    /** KVM_SET_IDENTITY_MAP_ADDR: one page for the identity page table VMX uses before paging is on. */
    public void setIdentityMapAddr(long address) {
        Pointer p = Memory.allocateDirect(Native.runtime(), 8, true);
        p.putLong(0, address);
        Syscalls.ioctl(fd, KVM_SET_IDENTITY_MAP_ADDR, p, "KVM_SET_IDENTITY_MAP_ADDR");
    }

    /** KVM_CREATE_IRQCHIP: emulate the two 8259 PICs, the I/O APIC and a local APIC per vCPU in the kernel. */
    public void createIrqchip() {
        Syscalls.ioctl(fd, KVM_CREATE_IRQCHIP, 0, "KVM_CREATE_IRQCHIP");
    }

    /** KVM_CREATE_PIT2: emulate the 8254 timer (ports 0x40-0x43) in the kernel; it raises IRQ 0. */
    public void createPit2() {
        Pointer config = Memory.allocateDirect(Native.runtime(), 64, true);
        config.putInt(0, KVM_PIT_SPEAKER_DUMMY);
        Syscalls.ioctl(fd, KVM_CREATE_PIT2, config, "KVM_CREATE_PIT2");
    }

    // tag::irq-line[]
    /** KVM_IRQ_LINE: drive interrupt line irq of the in-kernel PIC and I/O APIC high or low. */
    public void irqLine(int irq, boolean high) {
        Pointer p = irqLevel.get();
        p.putInt(0, irq);
        p.putInt(4, high ? 1 : 0);
        Syscalls.ioctl(fd, KVM_IRQ_LINE, p, "KVM_IRQ_LINE " + irq);
    }
    // end::irq-line[]

    // tag::createvcpu[]
    /** KVM_CREATE_VCPU, then mmap its kvm_run structure. */
    public Vcpu createVcpu(int id) {
        int vcpuFd = Syscalls.ioctl(fd, KVM_CREATE_VCPU, id, "KVM_CREATE_VCPU " + id);
        int size = kvm.vcpuMmapSize();
        Pointer run = Syscalls.mmap(size, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, vcpuFd, 0, "kvm_run of vCPU " + id);
        return new Vcpu(vcpuFd, run, size);
    }
    // end::createvcpu[]

    @Override
    public void close() {
        Native.libc().close(fd);
    }
}
