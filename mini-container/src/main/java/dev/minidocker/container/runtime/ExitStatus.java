package dev.minidocker.container.runtime;

/**
 * Turns a waitpid(2) status into the exit code docker reports: the command's own status, or
 * 128 + N when it was killed by signal N (137 for SIGKILL, which is what an OOM kill sends).
 */
public final class ExitStatus {
    /** The runtime itself failed (bad flag, missing image, a system call failed). */
    public static final int RUNTIME_ERROR = 125;
    /** The command was found but cannot be executed (permissions, not an executable). */
    public static final int CANNOT_EXECUTE = 126;
    /** The command was not found. */
    public static final int NOT_FOUND = 127;

    private ExitStatus() {
    }

    // tag::wait-status[]
    public static int fromWaitStatus(int status) {
        int termSignal = status & 0x7f;
        if (termSignal == 0) {                  // WIFEXITED
            return (status >> 8) & 0xff;        // WEXITSTATUS
        }
        return 128 + termSignal;                // WIFSIGNALED: 128 + WTERMSIG
    }
    // end::wait-status[]

    public static boolean signaled(int status) {
        int termSignal = status & 0x7f;
        return termSignal != 0 && termSignal != 0x7f;
    }
}
