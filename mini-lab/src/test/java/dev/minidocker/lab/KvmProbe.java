package dev.minidocker.lab;

import static dev.minidocker.vmm.kvm.KvmIoctl.KVM_CREATE_VM;
import static dev.minidocker.vmm.kvm.KvmIoctl.KVM_GET_API_VERSION;

import dev.minidocker.sys.Mman;
import dev.minidocker.sys.Native;

/**
 * Run inside the lab guest by {@link LabGuestTest}: opens /dev/kvm through mini-sys and asks
 * the kernel's KVM what it is, the first steps any VMM takes (request numbers from mini-vmm's
 * KvmIoctl), printing errno values instead of throwing.
 */
public final class KvmProbe {
    private KvmProbe() {
    }

    public static void main(String[] args) {
        int kvm = Native.posix().open("/dev/kvm", Mman.O_RDWR | Mman.O_CLOEXEC, 0);
        if (kvm < 0) {
            System.out.println("kvm-open errno " + Native.posix().errno());
            System.exit(1);
        }
        System.out.println("KVM_GET_API_VERSION " + Native.libc().ioctl(kvm, KVM_GET_API_VERSION, 0L));
        int vm = Native.libc().ioctl(kvm, KVM_CREATE_VM, 0L);
        System.out.println("KVM_CREATE_VM " + (vm >= 0 ? "ok" : "errno " + Native.lastErrno()));
    }
}
