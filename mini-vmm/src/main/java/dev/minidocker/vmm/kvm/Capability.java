package dev.minidocker.vmm.kvm;

/** Capabilities asked with {@code KVM_CHECK_EXTENSION} (numbers from {@code <linux/kvm.h>}). */
public enum Capability {
    KVM_CAP_IRQCHIP(0),
    KVM_CAP_HLT(1),
    KVM_CAP_USER_MEMORY(3),
    KVM_CAP_SET_TSS_ADDR(4),
    KVM_CAP_EXT_CPUID(7),
    KVM_CAP_NR_VCPUS(9),
    KVM_CAP_NR_MEMSLOTS(10),
    KVM_CAP_PIT2(33),
    KVM_CAP_SET_IDENTITY_MAP_ADDR(37),
    KVM_CAP_MAX_VCPUS(66),
    KVM_CAP_IMMEDIATE_EXIT(136);

    public final int number;

    Capability(int number) {
        this.number = number;
    }
}
