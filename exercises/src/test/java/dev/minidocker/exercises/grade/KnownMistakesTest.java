package dev.minidocker.exercises.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.minidocker.sys.Errno;
import dev.minidocker.sys.SyscallException;

class KnownMistakesTest {
    @Test
    void anEinvalFromKvmSetSregsNamesTheLongModeBits() {
        Throwable t = new IllegalStateException("setting up long mode failed",
                new SyscallException("ioctl", Errno.EINVAL, "KVM_SET_SREGS"));
        String why = TestRun.why(t);
        assertTrue(why.startsWith("setting up long mode failed. KVM refuses"), why);
        assertTrue(why.contains("EFER.LME and EFER.LMA") && why.contains("CR0.PG"), why);
    }

    @Test
    void otherFailuresKeepTheirOwnLine() {
        SyscallException busy = new SyscallException("ioctl", Errno.EBUSY, "KVM_SET_SREGS");
        assertEquals(busy.getMessage(), TestRun.why(busy));
        assertEquals("expected: <1> but was: <2>", TestRun.why(new AssertionError("expected: <1> but was: <2>")));
    }
}
