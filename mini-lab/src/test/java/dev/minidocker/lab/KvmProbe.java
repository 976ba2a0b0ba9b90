package dev.minidocker.lab;

import dev.minidocker.sys.Native;

/**
 * Run inside the lab guest by {@link LabGuestTest}: opens /dev/kvm through mini-sys and asks
 * the kernel's KVM what it is, the first steps any VMM takes.
 */
public final class KvmProbe {
    // _IO(KVMIO=0xAE, nr): no argument, so the number is just type << 8 | nr
    static final long KVM_GET_API_VERSION = 0xAE00;
    static final long KVM_CREATE_VM = 0xAE01;
    static final int O_RDWR = 2;
    static final int O_CLOEXEC = 02000000;

    private KvmProbe() {
    }

    public static void main(String[] args) {
        int kvm = Native.posix().open("/dev/kvm", O_RDWR | O_CLOEXEC, 0);
        if (kvm < 0) {
            System.out.println("kvm-open errno " + Native.posix().errno());
            System.exit(1);
        }
        System.out.println("KVM_GET_API_VERSION " + Native.libc().ioctl(kvm, KVM_GET_API_VERSION, 0L));
        int vm = Native.libc().ioctl(kvm, KVM_CREATE_VM, 0L);
        System.out.println("KVM_CREATE_VM " + (vm >= 0 ? "ok" : "errno " + Native.lastErrno()));
    }
}
