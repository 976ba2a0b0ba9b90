package dev.minidocker.vmm.kvm;

import static dev.minidocker.vmm.kvm.KvmIoctl.KVM_API_VERSION;
import static dev.minidocker.vmm.kvm.KvmIoctl.KVM_CHECK_EXTENSION;
import static dev.minidocker.vmm.kvm.KvmIoctl.KVM_CREATE_VM;
import static dev.minidocker.vmm.kvm.KvmIoctl.KVM_GET_API_VERSION;
import static dev.minidocker.vmm.kvm.KvmIoctl.KVM_GET_SUPPORTED_CPUID;
import static dev.minidocker.vmm.kvm.KvmIoctl.KVM_GET_VCPU_MMAP_SIZE;

import java.util.List;

import dev.minidocker.sys.Errno;
import dev.minidocker.sys.Mman;
import dev.minidocker.sys.Native;
import dev.minidocker.sys.Syscalls;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/** The KVM subsystem, through {@code /dev/kvm}: version, capabilities, and creating VMs. */
public final class Kvm implements AutoCloseable {
    public static final String DEVICE = "/dev/kvm";

    private final int fd;

    private Kvm(int fd) {
        this.fd = fd;
    }

    /** Opens /dev/kvm and checks the API version. */
    public static Kvm open() {
        return open(DEVICE);
    }

    // tag::open[]
    public static Kvm open(String path) {
        int fd = Native.libc().open(path, Mman.O_RDWR | Mman.O_CLOEXEC, 0);
        if (fd < 0) {
            int errno = Native.lastErrno();
            throw new VmmException("cannot open " + path + ": " + Errno.name(errno) + " (" + Errno.description(errno)
                    + "): " + openHint(errno));
        }
        Kvm kvm = new Kvm(fd);
        int version = Syscalls.ioctl(fd, KVM_GET_API_VERSION, 0, "KVM_GET_API_VERSION");
        if (version != KVM_API_VERSION) {
            kvm.close();
            throw new VmmException("KVM API version is " + version + ", mini-vmm needs " + KVM_API_VERSION
                    + ": this kernel's KVM is not the stable API");
        }
        return kvm;
    }
    // end::open[]

    static String openHint(int errno) {
        if (errno == Errno.ENOENT || errno == 6 /* ENXIO */ || errno == 19 /* ENODEV */) {
            return "load the kvm modules (modprobe kvm_intel or kvm_amd) and enable virtualisation in the firmware";
        }
        if (errno == Errno.EACCES || errno == Errno.EPERM) {
            return "check permissions: add your user to the kvm group (or run as root)";
        }
        return "check that KVM is available on this machine";
    }

    public int fd() {
        return fd;
    }

    public int apiVersion() {
        return Syscalls.ioctl(fd, KVM_GET_API_VERSION, 0, "KVM_GET_API_VERSION");
    }

    /** KVM_CHECK_EXTENSION: 0 when absent, otherwise 1 or a capability-specific number. */
    public int checkExtension(Capability cap) {
        return Syscalls.ioctl(fd, KVM_CHECK_EXTENSION, cap.number, "KVM_CHECK_EXTENSION " + cap);
    }

    /** The size of the vCPU's kvm_run mapping (kvm_run plus pages the kernel may use for I/O data). */
    public int vcpuMmapSize() {
        return Syscalls.ioctl(fd, KVM_GET_VCPU_MMAP_SIZE, 0, "KVM_GET_VCPU_MMAP_SIZE");
    }

    /** KVM_GET_SUPPORTED_CPUID: the CPUID leaves KVM can show a guest. */
    public List<Cpuid.Entry> supportedCpuid() {
        int max = 128;
        Pointer p = Memory.allocateDirect(Native.runtime(), Cpuid.HEADER_SIZE + max * Cpuid.ENTRY_SIZE, true);
        p.putInt(0, max);
        Syscalls.ioctl(fd, KVM_GET_SUPPORTED_CPUID, p, "KVM_GET_SUPPORTED_CPUID");
        return Cpuid.read(p);
    }

    // tag::createvm[]
    /** KVM_CREATE_VM: a new virtual machine with no memory and no vCPUs yet. */
    public Vm createVm() {
        int vmFd = Syscalls.ioctl(fd, KVM_CREATE_VM, 0, "KVM_CREATE_VM");
        return new Vm(this, vmFd);
    }
    // end::createvm[]

    @Override
    public void close() {
        Native.libc().close(fd);
    }
}
