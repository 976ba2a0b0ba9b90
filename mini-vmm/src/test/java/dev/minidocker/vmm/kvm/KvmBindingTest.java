package dev.minidocker.vmm.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.minidocker.sys.Privileged;

/** The binding against the real /dev/kvm. */
class KvmBindingTest {
    @BeforeEach
    void needKvm() {
        Privileged.requireKvm();
    }

    @Test
    void apiVersionIsTwelveAndBasicCapabilitiesArePresent() {
        try (Kvm kvm = Kvm.open()) {
            assertEquals(12, kvm.apiVersion());
            assertTrue(kvm.checkExtension(Capability.KVM_CAP_USER_MEMORY) > 0);
            assertTrue(kvm.checkExtension(Capability.KVM_CAP_NR_MEMSLOTS) > 0, "memory slots");
            assertTrue(kvm.vcpuMmapSize() >= 4096, "kvm_run takes at least a page");
        }
    }

    @Test
    void supportedCpuidHasTheVendorLeafAndLongMode() {
        try (Kvm kvm = Kvm.open()) {
            var entries = kvm.supportedCpuid();
            assertTrue(entries.stream().anyMatch(e -> e.function() == 0), "leaf 0");
            var ext = entries.stream().filter(e -> e.function() == 0x80000001).findFirst().orElseThrow();
            assertTrue((ext.edx() & (1 << 29)) != 0, "LM bit");
        }
    }

    @Test
    void registersSetOnAVcpuReadBackUnchanged() {
        try (Kvm kvm = Kvm.open(); Vm vm = kvm.createVm(); Vcpu vcpu = vm.createVcpu(0)) {
            Regs regs = new Regs(0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x7000, 0x77, 8, 9, 10, 11, 12, 13, 14, 15, 0x8000, 0x2);
            vcpu.setRegs(regs);
            assertEquals(regs, vcpu.getRegs());
            Sregs reset = vcpu.getSregs();
            assertEquals(0xf000, reset.cs().selector(), "a fresh vCPU starts where a PC's BIOS does");
            assertEquals(0xffff0000L, reset.cs().base());
        }
    }

    @Test
    void aMissingDeviceGivesOneLineWithWhatToDo() {
        VmmException e = assertThrows(VmmException.class, () -> Kvm.open("/dev/no-such-kvm"));
        assertEquals("cannot open /dev/no-such-kvm: ENOENT (No such file or directory): load the kvm modules "
                + "(modprobe kvm_intel or kvm_amd) and enable virtualisation in the firmware", e.getMessage());
    }
}
