package dev.minidocker.vmm.kvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;

import dev.minidocker.sys.Native;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/** Decoding kvm_run as the kernel leaves it, from hand-filled memory (no KVM needed). */
class KvmRunTest {
    private final Pointer mem = Memory.allocateDirect(Native.runtime(), 8192, true);
    private final KvmRun run = new KvmRun(mem);

    private void io(int direction, int size, int port, int count, long dataOffset) {
        mem.putInt(8, KvmRun.KVM_EXIT_IO);
        mem.putByte(32, (byte) direction);
        mem.putByte(33, (byte) size);
        mem.putShort(34, (short) port);
        mem.putInt(36, count);
        mem.putLong(40, dataOffset);
    }

    @Test
    void anOutExitCarriesThePortAndTheBytesAtDataOffset() {
        io(KvmRun.KVM_EXIT_IO_OUT, 1, 0x3f8, 1, 4096);
        mem.putByte(4096, (byte) 'H');
        VmExit.IoOut out = assertInstanceOf(VmExit.IoOut.class, run.decode());
        assertEquals(0x3f8, out.port());
        assertEquals(1, out.size());
        assertArrayEquals(new byte[] {'H'}, out.data());
    }

    @Test
    void repOutsCarriesCountTimesSizeBytes() {
        io(KvmRun.KVM_EXIT_IO_OUT, 2, 0x80, 3, 4096);
        mem.put(4096, new byte[] {1, 0, 2, 0, 3, 0}, 0, 6);
        VmExit.IoOut out = assertInstanceOf(VmExit.IoOut.class, run.decode());
        assertEquals(3, out.count());
        assertArrayEquals(new byte[] {1, 0, 2, 0, 3, 0}, out.data());
    }

    @Test
    void anInIsAnsweredAtDataOffset() {
        io(KvmRun.KVM_EXIT_IO_IN, 1, 0x3fd, 1, 4100);
        assertEquals(new VmExit.IoIn(0x3fd, 1, 1), run.decode());
        run.completeIoIn(new byte[] {0x60});
        assertEquals(0x60, mem.getByte(4100));
    }

    @Test
    void mmioExitsCarryAddressLengthAndData() {
        mem.putInt(8, KvmRun.KVM_EXIT_MMIO);
        mem.putLong(32, 0x1000_0000L);
        mem.putByte(40, (byte) 'M');
        mem.putInt(48, 1);
        mem.putByte(52, (byte) 1);
        VmExit.MmioWrite w = assertInstanceOf(VmExit.MmioWrite.class, run.decode());
        assertEquals(0x1000_0000L, w.address());
        assertArrayEquals(new byte[] {'M'}, w.data());
        mem.putByte(52, (byte) 0);
        mem.putInt(48, 4);
        assertEquals(new VmExit.MmioRead(0x1000_0000L, 4), run.decode());
        run.completeMmioRead(new byte[] {10, 0, 0, 0});
        assertEquals(10, mem.getInt(40));
    }

    @Test
    void otherReasonsDecodeToTheirRecords() {
        mem.putInt(8, KvmRun.KVM_EXIT_HLT);
        assertEquals(new VmExit.Hlt(), run.decode());
        mem.putInt(8, KvmRun.KVM_EXIT_SHUTDOWN);
        assertEquals("KVM_EXIT_SHUTDOWN", run.decode().reasonName());
        mem.putInt(8, KvmRun.KVM_EXIT_INTERNAL_ERROR);
        mem.putInt(32, 1);
        mem.putInt(36, 2);
        VmExit.InternalError e = assertInstanceOf(VmExit.InternalError.class, run.decode());
        assertEquals(1, e.suberror());
        assertEquals(2, e.data().length);
        mem.putInt(8, 99);
        assertEquals("exit reason 99", run.decode().reasonName());
    }
}
