package dev.minidocker.sys;

import java.util.List;

/** The resources of setrlimit(2), numbered as in {@code <asm-generic/resource.h>}. */
public final class Rlimits {
    /** Index = the resource's number. */
    public static final List<String> NAMES = List.of(
            "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS",
            "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING",
            "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME");

    private Rlimits() {
    }

    /** The resource number of a name such as RLIMIT_NOFILE. */
    public static int number(String name) {
        int i = NAMES.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("unknown rlimit type \"" + name + "\": use one of " + NAMES);
        }
        return i;
    }
}
