package dev.minidocker.vmm.kvm;

import static dev.minidocker.vmm.kvm.Ioctl.io;
import static dev.minidocker.vmm.kvm.Ioctl.ior;
import static dev.minidocker.vmm.kvm.Ioctl.iow;
import static dev.minidocker.vmm.kvm.Ioctl.iowr;

/**
 * The KVM ioctl requests used by mini-vmm, computed the way {@code <linux/kvm.h>} defines them.
 * Three kinds of file descriptor take them: /dev/kvm (system), a VM, and a vCPU.
 */
// tag::requests[]
public final class KvmIoctl {
    /** The ioctl "type" byte of KVM. */
    public static final int KVMIO = 0xAE;

    // system ioctls, on the /dev/kvm descriptor
    public static final long KVM_GET_API_VERSION = io(KVMIO, 0x00);
    public static final long KVM_CREATE_VM = io(KVMIO, 0x01);
    public static final long KVM_CHECK_EXTENSION = io(KVMIO, 0x03);
    public static final long KVM_GET_VCPU_MMAP_SIZE = io(KVMIO, 0x04);
    public static final long KVM_GET_SUPPORTED_CPUID = iowr(KVMIO, 0x05, Cpuid.HEADER_SIZE);

    // VM ioctls, on the descriptor KVM_CREATE_VM returned
    public static final long KVM_CREATE_VCPU = io(KVMIO, 0x41);
    public static final long KVM_SET_USER_MEMORY_REGION = iow(KVMIO, 0x46, MemoryRegion.SIZE);
    public static final long KVM_SET_TSS_ADDR = io(KVMIO, 0x47);
    public static final long KVM_SET_IDENTITY_MAP_ADDR = iow(KVMIO, 0x48, 8);
    public static final long KVM_CREATE_IRQCHIP = io(KVMIO, 0x60);
    public static final long KVM_IRQ_LINE = iow(KVMIO, 0x61, 8);        // struct kvm_irq_level
    public static final long KVM_CREATE_PIT2 = iow(KVMIO, 0x77, 64);    // struct kvm_pit_config

    // vCPU ioctls, on the descriptor KVM_CREATE_VCPU returned
    public static final long KVM_RUN = io(KVMIO, 0x80);
    public static final long KVM_GET_REGS = ior(KVMIO, 0x81, Regs.SIZE);
    public static final long KVM_SET_REGS = iow(KVMIO, 0x82, Regs.SIZE);
    public static final long KVM_GET_SREGS = ior(KVMIO, 0x83, Sregs.SIZE);
    public static final long KVM_SET_SREGS = iow(KVMIO, 0x84, Sregs.SIZE);
    public static final long KVM_SET_CPUID2 = iow(KVMIO, 0x90, Cpuid.HEADER_SIZE);
    // end::requests[]

    /** The only API version there has ever been in mainline Linux (since 2.6.22). */
    public static final int KVM_API_VERSION = 12;

    /** KVM_CREATE_PIT2 flag: emulate the speaker port 0x61 too. */
    public static final int KVM_PIT_SPEAKER_DUMMY = 1;

    private KvmIoctl() {
    }
}
