package dev.minidocker.vmm.kvm;

import static dev.minidocker.vmm.kvm.KvmIoctl.KVM_GET_REGS;
import static dev.minidocker.vmm.kvm.KvmIoctl.KVM_GET_SREGS;
import static dev.minidocker.vmm.kvm.KvmIoctl.KVM_RUN;
import static dev.minidocker.vmm.kvm.KvmIoctl.KVM_SET_CPUID2;
import static dev.minidocker.vmm.kvm.KvmIoctl.KVM_SET_REGS;
import static dev.minidocker.vmm.kvm.KvmIoctl.KVM_SET_SREGS;

import java.util.List;

import dev.minidocker.sys.Errno;
import dev.minidocker.sys.Native;
import dev.minidocker.sys.Syscalls;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/** A virtual CPU: its registers and the KVM_RUN call that runs guest code until the next exit. */
public final class Vcpu implements AutoCloseable {
    private final int fd;
    private final Pointer runMapping;
    private final int runSize;
    private final KvmRun run;
    private final Pointer regsBuffer = Memory.allocateDirect(Native.runtime(), Regs.SIZE, true);
    private final Pointer sregsBuffer = Memory.allocateDirect(Native.runtime(), Sregs.SIZE, true);

    Vcpu(int fd, Pointer runMapping, int runSize) {
        this.fd = fd;
        this.runMapping = runMapping;
        this.runSize = runSize;
        this.run = new KvmRun(runMapping);
    }

    public int fd() {
        return fd;
    }

    public KvmRun kvmRun() {
        return run;
    }

    // tag::run[]
    /** KVM_RUN: enter the guest; returns when the guest does something the kernel hands to us. */
    public VmExit run() {
        int ret = Native.libc().ioctl(fd, KVM_RUN, 0L);
        if (ret < 0) {
            int errno = Native.lastErrno();
            if (errno == Errno.EINTR || errno == Errno.EAGAIN) {
                return new VmExit.Interrupted();
            }
            Syscalls.check("ioctl", -1, "KVM_RUN");
        }
        return run.decode();
    }
    // end::run[]

    public Regs getRegs() {
        Syscalls.ioctl(fd, KVM_GET_REGS, regsBuffer, "KVM_GET_REGS");
        return Regs.read(regsBuffer);
    }

    public void setRegs(Regs regs) {
        regs.write(regsBuffer);
        Syscalls.ioctl(fd, KVM_SET_REGS, regsBuffer, "KVM_SET_REGS");
    }

    public Sregs getSregs() {
        Syscalls.ioctl(fd, KVM_GET_SREGS, sregsBuffer, "KVM_GET_SREGS");
        return Sregs.read(sregsBuffer);
    }

    public void setSregs(Sregs sregs) {
        sregs.write(sregsBuffer);
        Syscalls.ioctl(fd, KVM_SET_SREGS, sregsBuffer, "KVM_SET_SREGS");
    }

    /** KVM_SET_CPUID2: what CPUID reports inside this vCPU. */
    public void setCpuid(List<Cpuid.Entry> entries) {
        Pointer p = Memory.allocateDirect(Native.runtime(), Cpuid.HEADER_SIZE + entries.size() * Cpuid.ENTRY_SIZE, true);
        Cpuid.write(p, entries);
        Syscalls.ioctl(fd, KVM_SET_CPUID2, p, "KVM_SET_CPUID2");
    }

    @Override
    public void close() {
        Syscalls.munmap(runMapping, runSize);
        Native.libc().close(fd);
    }
}
