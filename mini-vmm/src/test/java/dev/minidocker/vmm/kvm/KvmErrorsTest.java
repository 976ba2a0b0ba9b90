package dev.minidocker.vmm.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.minidocker.sys.Errno;

/** What the user is told when /dev/kvm cannot be opened (no KVM needed to check). */
class KvmErrorsTest {
    @Test
    void permissionProblemsSuggestTheKvmGroup() {
        assertEquals("check permissions: add your user to the kvm group (or run as root)", Kvm.openHint(Errno.EACCES));
    }

    @Test
    void aMissingDeviceSuggestsLoadingTheModules() {
        assertEquals("load the kvm modules (modprobe kvm_intel or kvm_amd) and enable virtualisation in the firmware",
                Kvm.openHint(Errno.ENOENT));
    }
}
