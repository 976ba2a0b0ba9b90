package dev.minidocker.vmm.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The request numbers we compute equal what {@code <linux/kvm.h>} gives (values printed by a C program). */
class KvmIoctlTest {
    @Test
    void systemIoctlsMatchTheKernelHeader() {
        assertEquals(0xAE00L, KvmIoctl.KVM_GET_API_VERSION);
        assertEquals(0xAE01L, KvmIoctl.KVM_CREATE_VM);
        assertEquals(0xAE03L, KvmIoctl.KVM_CHECK_EXTENSION);
        assertEquals(0xAE04L, KvmIoctl.KVM_GET_VCPU_MMAP_SIZE);
        assertEquals(0xC008AE05L, KvmIoctl.KVM_GET_SUPPORTED_CPUID);
    }

    @Test
    void vmIoctlsMatchTheKernelHeader() {
        assertEquals(0xAE41L, KvmIoctl.KVM_CREATE_VCPU);
        assertEquals(0x4020AE46L, KvmIoctl.KVM_SET_USER_MEMORY_REGION);
        assertEquals(0xAE47L, KvmIoctl.KVM_SET_TSS_ADDR);
        assertEquals(0x4008AE48L, KvmIoctl.KVM_SET_IDENTITY_MAP_ADDR);
        assertEquals(0xAE60L, KvmIoctl.KVM_CREATE_IRQCHIP);
        assertEquals(0x4008AE61L, KvmIoctl.KVM_IRQ_LINE);
        assertEquals(0x4040AE77L, KvmIoctl.KVM_CREATE_PIT2);
    }

    @Test
    void vcpuIoctlsMatchTheKernelHeader() {
        assertEquals(0xAE80L, KvmIoctl.KVM_RUN);
        assertEquals(0x8090AE81L, KvmIoctl.KVM_GET_REGS);
        assertEquals(0x4090AE82L, KvmIoctl.KVM_SET_REGS);
        assertEquals(0x8138AE83L, KvmIoctl.KVM_GET_SREGS);
        assertEquals(0x4138AE84L, KvmIoctl.KVM_SET_SREGS);
        assertEquals(0x4008AE90L, KvmIoctl.KVM_SET_CPUID2);
    }

    @Test
    void encodingPutsDirectionSizeTypeAndNumberInTheirFields() {
        long r = Ioctl.iowr(0x12, 0x34, 0x56);
        assertEquals(3, r >>> 30);
        assertEquals(0x56, (r >>> 16) & 0x3fff);
        assertEquals(0x12, (r >>> 8) & 0xff);
        assertEquals(0x34, r & 0xff);
    }
}
