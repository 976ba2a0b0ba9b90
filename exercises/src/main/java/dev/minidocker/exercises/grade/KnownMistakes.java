package dev.minidocker.exercises.grade;

import java.util.Optional;

import dev.minidocker.sys.Errno;
import dev.minidocker.sys.SyscallException;

/**
 * A sentence for the mistakes learners are known to make, recognised from the failed call itself
 * (its name, request and errno), never from message text. The grader adds it to the failure, so
 * that an EINVAL says which rule of the kernel's was broken.
 */
final class KnownMistakes {
    private KnownMistakes() {
    }

    static Optional<String> explain(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SyscallException s) {
                Optional<String> why = explain(s);
                if (why.isPresent()) {
                    return why;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> explain(SyscallException s) {
        if (s.errno() != Errno.EINVAL) {
            return Optional.empty();
        }
        if (s.call().equals("ioctl") && s.detail().equals("KVM_SET_SREGS")) {
            return Optional.of("KVM refuses special registers that contradict each other: for long mode set"
                    + " EFER.LME and EFER.LMA together with CR0.PG (and CR0.PE) and CR4.PAE, all in one KVM_SET_SREGS,"
                    + " with 64-bit code segment attributes (L=1, D=0)");
        }
        return Optional.empty();
    }
}
