package dev.minidocker.vmm.kvm;

/**
 * The kernel's ioctl request encoding ({@code include/uapi/asm-generic/ioctl.h}).
 *
 * <p>A request number packs four fields: the data direction (2 bits), the size of the argument
 * struct (14 bits), a "type" byte naming the driver (0xAE for KVM) and a command number.
 * Computing numbers from struct sizes, rather than copying hex constants, is what the C macros
 * {@code _IO}, {@code _IOR}, {@code _IOW} and {@code _IOWR} do.
 */
// tag::ioctl[]
public final class Ioctl {
    static final int NRSHIFT = 0;
    static final int TYPESHIFT = 8;
    static final int SIZESHIFT = 16;
    static final int DIRSHIFT = 30;

    static final int IOC_NONE = 0;
    static final int IOC_WRITE = 1;  // user space writes, the kernel reads the argument
    static final int IOC_READ = 2;   // the kernel fills the argument in

    private Ioctl() {
    }

    static long ioc(int dir, int type, int nr, int size) {
        if (size >= (1 << 14)) {
            throw new IllegalArgumentException("ioctl argument too large: " + size);
        }
        return ((long) dir << DIRSHIFT) | ((long) size << SIZESHIFT) | ((long) type << TYPESHIFT) | ((long) nr << NRSHIFT);
    }

    /** {@code _IO(type, nr)}: no argument, or an integer argument passed by value. */
    public static long io(int type, int nr) {
        return ioc(IOC_NONE, type, nr, 0);
    }

    /** {@code _IOR(type, nr, struct)}: the kernel writes a struct of this size. */
    public static long ior(int type, int nr, int size) {
        return ioc(IOC_READ, type, nr, size);
    }

    /** {@code _IOW(type, nr, struct)}: the kernel reads a struct of this size. */
    public static long iow(int type, int nr, int size) {
        return ioc(IOC_WRITE, type, nr, size);
    }

    /** {@code _IOWR(type, nr, struct)}: both directions. */
    public static long iowr(int type, int nr, int size) {
        return ioc(IOC_READ | IOC_WRITE, type, nr, size);
    }
}
// end::ioctl[]
