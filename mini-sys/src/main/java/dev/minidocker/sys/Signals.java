package dev.minidocker.sys;

import java.util.List;
import java.util.Locale;

/** Signal names and numbers as on x86-64 Linux (signal(7)). */
public final class Signals {
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;

    /** Index = the signal's number; index 0 is not a signal. */
    private static final List<String> NAMES = List.of("", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
            "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
            "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");

    private Signals() {
    }

    /** A signal given as a number, a name, or a name with SIG: 9, KILL, SIGKILL. */
    public static int parse(String s) {
        if (s.matches("[0-9]+")) {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= 64) {
                return n;
            }
        } else {
            String name = s.toUpperCase(Locale.ROOT).replaceFirst("^SIG", "");
            int i = NAMES.indexOf(name);
            if (i > 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown signal \"" + s + "\": give a number or a name such as TERM or SIGKILL");
    }
}
