package dev.minidocker.container.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What /proc/PID/stat says of a process (proc(5)): its state letter and its start time in clock
 * ticks since boot. A PID and its start time together name one process for good: a PID alone may
 * have been reused by the time a runtime command looks at it.
 */
public record ProcStat(char state, long startTime) {
    /** The process's stat, or null when there is no such process. */
    public static ProcStat of(int pid) {
        if (pid <= 0) {
            return null;
        }
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // the command name is in parentheses and may itself contain spaces or ')'
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return new ProcStat(f[0].charAt(0), Long.parseLong(f[19])); // fields 3 and 22 of the line
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Whether pid is still the process that started at startTime, and not a zombie. */
    public static boolean alive(int pid, long startTime) {
        ProcStat st = of(pid);
        return st != null && st.startTime == startTime && st.state != 'Z' && st.state != 'X';
    }
}
