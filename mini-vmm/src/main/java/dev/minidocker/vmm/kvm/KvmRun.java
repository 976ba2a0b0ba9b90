package dev.minidocker.vmm.kvm;

import jnr.ffi.Pointer;

/**
 * The vCPU's shared {@code struct kvm_run}, mmap'd from the vCPU descriptor. After KVM_RUN
 * returns, {@code exit_reason} says why, and a union at offset 32 holds the details. For an IN
 * or an MMIO read the VMM writes the answer back here before the next KVM_RUN.
 */
// tag::kvmrun[]
public final class KvmRun {
    public static final int KVM_EXIT_UNKNOWN = 0;
    public static final int KVM_EXIT_EXCEPTION = 1;
    public static final int KVM_EXIT_IO = 2;
    public static final int KVM_EXIT_HYPERCALL = 3;
    public static final int KVM_EXIT_DEBUG = 4;
    public static final int KVM_EXIT_HLT = 5;
    public static final int KVM_EXIT_MMIO = 6;
    public static final int KVM_EXIT_IRQ_WINDOW_OPEN = 7;
    public static final int KVM_EXIT_SHUTDOWN = 8;
    public static final int KVM_EXIT_FAIL_ENTRY = 9;
    public static final int KVM_EXIT_INTR = 10;
    public static final int KVM_EXIT_INTERNAL_ERROR = 17;
    public static final int KVM_EXIT_SYSTEM_EVENT = 24;

    public static final int KVM_EXIT_IO_IN = 0;
    public static final int KVM_EXIT_IO_OUT = 1;

    // kvm_run.internal.suberror of a KVM_EXIT_INTERNAL_ERROR
    public static final int KVM_INTERNAL_ERROR_EMULATION = 1;
    public static final int KVM_INTERNAL_ERROR_SIMUL_EX = 2;
    public static final int KVM_INTERNAL_ERROR_DELIVERY_EV = 3;

    // offsets in struct kvm_run (x86-64)
    static final int IMMEDIATE_EXIT = 1;       // __u8 immediate_exit
    static final int EXIT_REASON = 8;          // __u32 exit_reason
    static final int UNION = 32;               // the per-reason union
    static final int IO_DIRECTION = UNION;     // io: __u8 direction
    static final int IO_SIZE = UNION + 1;      //     __u8 size (1, 2 or 4)
    static final int IO_PORT = UNION + 2;      //     __u16 port
    static final int IO_COUNT = UNION + 4;     //     __u32 count (> 1 for rep ins/outs)
    static final int IO_DATA_OFFSET = UNION + 8; //   __u64 data_offset, from the start of kvm_run
    static final int MMIO_PHYS_ADDR = UNION;   // mmio: __u64 phys_addr
    static final int MMIO_DATA = UNION + 8;    //       __u8 data[8]
    static final int MMIO_LEN = UNION + 16;    //       __u32 len
    static final int MMIO_IS_WRITE = UNION + 20; //     __u8 is_write
    // end::kvmrun[]

    private final Pointer run;

    KvmRun(Pointer run) {
        this.run = run;
    }

    public int exitReason() {
        return run.getInt(EXIT_REASON);
    }

    // tag::decode[]
    /** Copies the exit out of kvm_run into a {@link VmExit} record. */
    public VmExit decode() {
        int reason = exitReason();
        switch (reason) {
            case KVM_EXIT_IO: {
                // exercise:begin ch07-decode-io-exit "read size, port, count and direction from the io union; for OUT copy size * count bytes from data_offset"
                int size = run.getByte(IO_SIZE) & 0xff;
                int port = run.getShort(IO_PORT) & 0xffff;
                int count = run.getInt(IO_COUNT);
                if (run.getByte(IO_DIRECTION) == KVM_EXIT_IO_OUT) {
                    byte[] data = new byte[size * count];
                    run.get(run.getLong(IO_DATA_OFFSET), data, 0, data.length);
                    return new VmExit.IoOut(port, size, count, data);
                }
                return new VmExit.IoIn(port, size, count);
                // exercise:end ch07-decode-io-exit
            }
            case KVM_EXIT_MMIO: {
                long address = run.getLong(MMIO_PHYS_ADDR);
                int len = run.getInt(MMIO_LEN);
                if (run.getByte(MMIO_IS_WRITE) != 0) {
                    byte[] data = new byte[len];
                    run.get(MMIO_DATA, data, 0, len);
                    return new VmExit.MmioWrite(address, data);
                }
                return new VmExit.MmioRead(address, len);
            }
            case KVM_EXIT_HLT:
                return new VmExit.Hlt();
            case KVM_EXIT_SHUTDOWN:
                return new VmExit.Shutdown();
            case KVM_EXIT_FAIL_ENTRY:
                return new VmExit.FailEntry(run.getLong(UNION), run.getInt(UNION + 8));
            case KVM_EXIT_INTERNAL_ERROR: {
                int ndata = Math.min(run.getInt(UNION + 4), 16);
                long[] data = new long[ndata];
                run.get(UNION + 8, data, 0, ndata);
                return new VmExit.InternalError(run.getInt(UNION), data);
            }
            case KVM_EXIT_INTR:
                return new VmExit.Interrupted();
            default:
                return new VmExit.Other(reason);
        }
    }
    // end::decode[]

    /** Answers an IN: the bytes the guest reads, placed where data_offset points. */
    public void completeIoIn(byte[] data) {
        run.put(run.getLong(IO_DATA_OFFSET), data, 0, data.length);
    }

    /** Answers an MMIO read: the bytes the guest loads. */
    public void completeMmioRead(byte[] data) {
        run.put(MMIO_DATA, data, 0, Math.min(8, data.length));
    }

    /** With immediate_exit set, the next KVM_RUN returns at once with EINTR. */
    public void setImmediateExit(boolean value) {
        run.putByte(IMMEDIATE_EXIT, (byte) (value ? 1 : 0));
    }
}
