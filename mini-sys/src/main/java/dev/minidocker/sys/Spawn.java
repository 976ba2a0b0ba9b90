package dev.minidocker.sys;

import java.util.ArrayList;
import java.util.List;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * Starting a program without fork(2): posix_spawnp(3). A JVM must not fork (only the calling
 * thread would survive in the child, holding locks other threads own); posix_spawn creates
 * the child and runs the program in one step. File actions rearrange the child's descriptors.
 */
public final class Spawn {
    /** glibc's posix_spawn_file_actions_t is 80 bytes on x86-64; room to spare. */
    private static final int FILE_ACTIONS_SIZE = 128;
    /** glibc's posix_spawnattr_t is 336 bytes on x86-64. */
    private static final int ATTRIBUTES_SIZE = 512;
    /** glibc 2.26+ ({@code <spawn.h>}): setsid(2) in the child, before the file actions. */
    public static final short POSIX_SPAWN_SETSID = 0x80;
    private static final int O_RDWR = 2;
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_CREAT = 0100;
    private static final int O_TRUNC = 01000;

    private final List<String> argv;
    private final List<String> envp;
    private final List<Action> actions = new ArrayList<>();

    private record Action(int fd, int newFd, String path, int flags, int mode) {
    }

    /** Descriptors from this number on are closed in the child (-1: inherited as they are). */
    private int closeFrom = -1;

    /** The program to run, when it is not argv[0] (an OCI hook's path and its args differ). */
    private String program;

    /** Whether the child starts a new session (POSIX_SPAWN_SETSID). */
    private boolean newSession;

    public Spawn(List<String> argv, List<String> envp) {
        this.argv = List.copyOf(argv);
        this.envp = List.copyOf(envp);
    }

    /** Runs this file instead of looking up argv[0]. */
    public Spawn program(String path) {
        this.program = path;
        return this;
    }

    /** In the child, make newFd a copy of fd (dup2). */
    public Spawn dup2(int fd, int newFd) {
        actions.add(new Action(fd, newFd, null, 0, 0));
        return this;
    }

    /** In the child, open path for reading as fd. */
    public Spawn openForReading(int fd, String path) {
        actions.add(new Action(fd, -1, path, O_RDONLY, 0));
        return this;
    }

    /**
     * In the child, open path for reading and writing as fd. Without O_NOCTTY: a terminal opened
     * so by a session leader that has none becomes its controlling terminal (see {@link #newSession}).
     */
    public Spawn openForReadingAndWriting(int fd, String path) {
        actions.add(new Action(fd, -1, path, O_RDWR, 0));
        return this;
    }

    /** The child calls setsid(2) before the file actions: it leads a new session, with no controlling terminal yet. */
    public Spawn newSession() {
        this.newSession = true;
        return this;
    }

    /** In the child, create or truncate path for writing as fd. */
    public Spawn openForWriting(int fd, String path) {
        actions.add(new Action(fd, -1, path, O_WRONLY | O_CREAT | O_TRUNC, 0644));
        return this;
    }

    /**
     * In the child, close every descriptor from fd on: a JVM holds descriptors that are not
     * close-on-exec (its jars, locks), and a long-lived child such as a monitor must not keep them.
     */
    public Spawn closeFrom(int fd) {
        this.closeFrom = fd;
        return this;
    }

    // tag::posix-spawn[]
    /** Starts the program (looked up in PATH if argv[0] has no '/'); returns the child's PID. */
    public int start() {
        LibC libc = Native.libc();
        Pointer fa = Memory.allocateDirect(Native.runtime(), FILE_ACTIONS_SIZE, true);
        libc.posix_spawn_file_actions_init(fa);
        Pointer attr = null;
        if (newSession) {
            attr = Memory.allocateDirect(Native.runtime(), ATTRIBUTES_SIZE, true);
            libc.posix_spawnattr_init(attr);
            int r = libc.posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSID);
            if (r != 0) {
                libc.posix_spawnattr_destroy(attr);
                throw new SyscallException("posix_spawnattr_setflags", r, "POSIX_SPAWN_SETSID");
            }
        }
        try {
            for (Action a : actions) {
                int r = a.path == null ? libc.posix_spawn_file_actions_adddup2(fa, a.fd, a.newFd)
                        : libc.posix_spawn_file_actions_addopen(fa, a.fd, a.path, a.flags, a.mode);
                if (r != 0) {
                    throw new SyscallException("posix_spawn_file_actions", r, a.path == null ? "dup2 " + a.fd : a.path);
                }
            }
            if (closeFrom >= 0) {
                int r = libc.posix_spawn_file_actions_addclosefrom_np(fa, closeFrom);
                if (r != 0) {
                    throw new SyscallException("posix_spawn_file_actions_addclosefrom_np", r, "from " + closeFrom);
                }
            }
            int[] pid = new int[1];
            int r = libc.posix_spawnp(pid, program != null ? program : argv.get(0), fa, attr,
                    argv.toArray(new String[0]), envp.toArray(new String[0]));
            if (r != 0) {
                throw new SyscallException("posix_spawnp", r, program != null ? program : argv.get(0));
            }
            return pid[0];
        } finally {
            libc.posix_spawn_file_actions_destroy(fa);
            if (attr != null) {
                libc.posix_spawnattr_destroy(attr);
            }
        }
    }
    // end::posix-spawn[]
}
