package dev.minidocker.sys;

import jnr.ffi.Pointer;

/**
 * Checked system calls: each one calls libc and turns a failure into a
 * {@link SyscallException} that names the call, the errno and the path.
 */
public final class Syscalls {
    /** x86-64 system call numbers for calls glibc does not wrap (or wraps only recently). */
    static final long SYS_pivot_root = 155;
    static final long SYS_close_range = 436;
    static final long SYS_setgroups = 116;
    static final long SYS_setresuid = 117;
    static final long SYS_setresgid = 119;

    /** close_range(2) flag: mark close-on-exec instead of closing now. */
    public static final int CLOSE_RANGE_CLOEXEC = 1 << 2;
    /** fcntl(2): duplicate to the lowest free number at least arg, close-on-exec. */
    public static final int F_DUPFD_CLOEXEC = 1030;

    private Syscalls() {
    }

    // tag::check[]
    /** The one place that turns "-1 and errno" into an exception. */
    public static long check(String call, long ret, String detail) {
        // exercise:begin ch01-check-errno "if ret is -1, throw new SyscallException(call, Native.lastErrno(), detail)"
        if (ret == -1) {
            throw new SyscallException(call, Native.lastErrno(), detail);
        }
        return ret;
        // exercise:end ch01-check-errno
    }
    // end::check[]

    /**
     * For libraries that return a negated errno instead of -1 (libseccomp does): the same
     * exception as {@link #check}.
     */
    public static long checkNegatedErrno(String call, long ret, String detail) {
        if (ret < 0) {
            throw new SyscallException(call, (int) -ret, detail);
        }
        return ret;
    }

    // tag::unshare[]
    /** unshare(2): move the calling thread into new namespaces (flags are CLONE_NEW*). */
    public static void unshare(int flags) {
        check("unshare", Native.libc().unshare(flags), CloneFlags.describe(flags));
    }
    // end::unshare[]

    /** setns(2): join the namespace that fd refers to. */
    public static void setns(int fd, int nstype) {
        check("setns", Native.libc().setns(fd, nstype), CloneFlags.describe(nstype));
    }

    /** mount(2). */
    public static void mount(String source, String target, String fstype, long flags, String data) {
        check("mount", Native.libc().mount(source, target, fstype, flags, data),
                target + (fstype != null ? ", " + fstype : "") + (source != null && !source.equals(fstype) ? " from " + source : ""));
    }

    /** umount2(2). */
    public static void umount2(String target, int flags) {
        check("umount2", Native.libc().umount2(target, flags), target);
    }

    // tag::pivot_root[]
    /** pivot_root(2): make newRoot the root and move the old root to putOld. No glibc wrapper. */
    public static void pivotRoot(String newRoot, String putOld) {
        check("pivot_root", Native.libc().syscall(SYS_pivot_root, newRoot, putOld), newRoot + ", " + putOld);
    }
    // end::pivot_root[]

    /** chroot(2). */
    public static void chroot(String path) {
        check("chroot", Native.libc().chroot(path), path);
    }

    /** chdir(2). */
    public static void chdir(String path) {
        check("chdir", Native.libc().chdir(path), path);
    }

    /** sethostname(2). */
    public static void sethostname(String name) {
        byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        check("sethostname", Native.libc().sethostname(name, bytes.length), name);
    }

    /** mknod(2) for a character device. */
    public static void mknodChar(String path, int mode, int major, int minor) {
        long dev = makedev(major, minor);
        check("mknod", Native.libc().mknod(path, 0020000 | mode, dev), path);
    }

    /** makedev(3): glibc's encoding of a device number. */
    public static long makedev(int major, int minor) {
        long ma = major & 0xffffffffL;
        long mi = minor & 0xffffffffL;
        return ((ma & 0x00000fffL) << 8) | ((ma & 0xfffff000L) << 32)
                | (mi & 0x000000ffL) | ((mi & 0xffffff00L) << 12);
    }

    /** prctl(2). */
    public static int prctl(int option, long arg2) {
        return (int) check("prctl", Native.libc().prctl(option, arg2, 0, 0, 0), Integer.toString(option));
    }

    /** prctl(2) with two arguments, e.g. PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap. */
    public static int prctl(int option, long arg2, long arg3, String detail) {
        return (int) check("prctl", Native.libc().prctl(option, arg2, arg3, 0, 0), detail);
    }

    // tag::capset[]
    /** capget(2) of the calling thread: its effective, permitted and inheritable sets. */
    public static CapabilitySets capget() {
        jnr.ffi.Pointer data = CapabilityStructs.emptyData();
        check("capget", Native.libc().capget(CapabilityStructs.header(0), data), null);
        return CapabilityStructs.sets(data);
    }

    /** capset(2) of the calling thread (capabilities are per thread: other JVM threads keep theirs). */
    public static void capset(CapabilitySets sets) {
        check("capset", Native.libc().capset(CapabilityStructs.header(0), CapabilityStructs.data(sets)),
                String.format("effective=%x permitted=%x inheritable=%x", sets.effective(), sets.permitted(), sets.inheritable()));
    }
    // end::capset[]

    // tag::ids-per-thread[]
    /**
     * setresuid(2) for the calling thread only. The kernel keeps credentials per thread; glibc's
     * wrapper signals every other thread to make the same call (POSIX wants the whole process to
     * change), which in a JVM would also change the runtime's own threads. Raw system calls do not.
     */
    public static void setresuid(int ruid, int euid, int suid) {
        check("setresuid", Native.libc().syscall(SYS_setresuid, ruid, euid, suid), "uid " + ruid + "," + euid + "," + suid);
    }

    /** setresgid(2) for the calling thread only (see {@link #setresuid}). */
    public static void setresgid(int rgid, int egid, int sgid) {
        check("setresgid", Native.libc().syscall(SYS_setresgid, rgid, egid, sgid), "gid " + rgid + "," + egid + "," + sgid);
    }

    /** setgroups(2) for the calling thread only: the supplementary group IDs (none drops the caller's own). */
    public static void setgroups(int[] gids) {
        jnr.ffi.Pointer list = jnr.ffi.Memory.allocateDirect(Native.runtime(), Math.max(4, 4 * gids.length), true);
        for (int i = 0; i < gids.length; i++) {
            list.putInt(4L * i, gids[i]);
        }
        check("setgroups", Native.libc().syscall(SYS_setgroups, gids.length, list.address(), 0), java.util.Arrays.toString(gids));
    }
    // end::ids-per-thread[]

    /** close_range(2) with CLOSE_RANGE_CLOEXEC: every descriptor from first up closes at execve. */
    public static void closeOnExecFrom(int first) {
        check("close_range", Native.libc().syscall(SYS_close_range, first, 0xffffffffL, CLOSE_RANGE_CLOEXEC),
                first + "..~0, CLOSE_RANGE_CLOEXEC");
    }

    /** ioctl(2) with a pointer argument. */
    public static int ioctl(int fd, long request, Pointer arg, String what) {
        return (int) check("ioctl", Native.libc().ioctl(fd, request, arg), what);
    }

    /** ioctl(2) with an integer argument. */
    public static int ioctl(int fd, long request, long arg, String what) {
        return (int) check("ioctl", Native.libc().ioctl(fd, request, arg), what);
    }

    /** socket(2). */
    public static int socket(int domain, int type, int protocol) {
        return (int) check("socket", Native.libc().socket(domain, type, protocol),
                "domain " + domain + ", type " + type + ", protocol " + protocol);
    }

    /** bind(2) to an address already laid out as its struct (e.g. {@link Sockets#sockaddrNl}). */
    public static void bind(int fd, byte[] address, String what) {
        check("bind", Native.libc().bind(fd, address, address.length), what);
    }

    /** setsockopt(2) of an int option. */
    public static void setsockopt(int fd, int level, int option, int value, String what) {
        check("setsockopt", Native.libc().setsockopt(fd, level, option, new int[] {value}, Integer.BYTES), what);
    }

    /** sendto(2) of the first count bytes of buf to address; returns how many were sent. */
    public static int sendto(int fd, byte[] buf, int count, byte[] address, String what) {
        while (true) {
            long n = Native.libc().sendto(fd, buf, count, 0, address, address.length);
            if (n != -1 || Native.lastErrno() != Errno.EINTR) {
                return (int) check("sendto", n, what);
            }
        }
    }

    /** recv(2) into buf, retried when a signal interrupts it; returns the count. */
    public static int recv(int fd, byte[] buf, int flags, String what) {
        while (true) {
            long n = Native.libc().recv(fd, buf, buf.length, flags);
            if (n != -1 || Native.lastErrno() != Errno.EINTR) {
                return (int) check("recv", n, what);
            }
        }
    }

    /** close(2). */
    public static void close(int fd) {
        check("close", Native.libc().close(fd), Integer.toString(fd));
    }

    /** fcntl(2) F_DUPFD_CLOEXEC: a close-on-exec copy of fd numbered at least min. */
    public static int dupCloexec(int fd, int min) {
        return (int) check("fcntl", Native.libc().fcntl(fd, F_DUPFD_CLOEXEC, min), "F_DUPFD_CLOEXEC " + fd);
    }

    /** pipe2(2): returns {read end, write end}. */
    public static int[] pipe2(int flags) {
        int[] fds = new int[2];
        check("pipe2", Native.libc().pipe2(fds, flags), null);
        return fds;
    }

    /** waitpid(2) for one child, retried when a signal interrupts it; returns the wait status. */
    public static int waitpid(int pid) {
        int[] status = new int[1];
        while (true) {
            int r = Native.libc().waitpid(pid, status, 0);
            if (r == pid) {
                return status[0];
            }
            int errno = Native.lastErrno();
            if (errno != Errno.EINTR) {
                throw new SyscallException("waitpid", errno, Integer.toString(pid));
            }
        }
    }

    /** read(2) into buf; returns the count, 0 at end of file. */
    public static int read(int fd, byte[] buf) {
        return (int) check("read", Native.libc().read(fd, buf, buf.length), "fd " + fd);
    }

    /** write(2) of the first count bytes of buf; returns how many were written. */
    public static int write(int fd, byte[] buf, int count) {
        return (int) check("write", Native.libc().write(fd, buf, count), "fd " + fd);
    }

    /** mknod(2) with a full mode (file type and permissions) and a device number from {@link #makedev}. */
    public static void mknod(String path, int mode, long dev) {
        check("mknod", Native.libc().mknod(path, mode, dev), path);
    }

    /** lsetxattr(2): set an extended attribute on the path itself (not on what a link points to). */
    public static void lsetxattr(String path, String name, byte[] value) {
        check("lsetxattr", Native.libc().lsetxattr(path, name, value, value.length, 0), path + ", " + name);
    }

    /** open(2): returns the new file descriptor. */
    public static int open(String path, int flags) {
        return (int) check("open", Native.libc().open(path, flags, 0), path);
    }

    /** mmap(2) of length bytes; a failed mmap returns MAP_FAILED ((void *) -1), not NULL. */
    public static Pointer mmap(long length, int prot, int flags, int fd, long offset, String what) {
        Pointer p = Native.libc().mmap(null, length, prot, flags, fd, offset);
        if (p == null || p.address() == -1L) {
            throw new SyscallException("mmap", Native.lastErrno(), what);
        }
        return p;
    }

    /** munmap(2). */
    public static void munmap(Pointer address, long length) {
        check("munmap", Native.libc().munmap(address, length), Long.toHexString(address.address()));
    }

    /** madvise(2): advice about a mapped range, e.g. {@link Mman#MADV_MERGEABLE}. */
    public static void madvise(Pointer address, long length, int advice, String what) {
        check("madvise", Native.libc().madvise(address, length, advice), what);
    }

    /** lgetxattr(2): an extended attribute of the path itself, or null when it has none (ENODATA). */
    public static byte[] lgetxattr(String path, String name) {
        byte[] buf = new byte[256];
        long n = Native.libc().lgetxattr(path, name, buf, buf.length);
        if (n == -1 && Native.lastErrno() == Errno.ENODATA) {
            return null;
        }
        check("lgetxattr", n, path + ", " + name);
        return java.util.Arrays.copyOf(buf, (int) n);
    }

    /** setsid(2): a new session with no controlling terminal, so a pty can become this one's. */
    public static void setsid() {
        check("setsid", Native.libc().setsid(), null);
    }

    /** dup2(2). */
    public static void dup2(int fd, int newFd) {
        check("dup2", Native.libc().dup2(fd, newFd), fd + " -> " + newFd);
    }

    /** setrlimit(2) of a resource by its number (see {@link Rlimits}). */
    public static void setrlimit(int resource, long soft, long hard, String name) {
        check("setrlimit", Native.libc().setrlimit(resource, new long[] {soft, hard}), name + " " + soft + ":" + hard);
    }

    /** waitpid(2) with WNOHANG: the wait status, or -1 when the child has not ended yet. */
    public static int waitpidNoHang(int pid) {
        int[] status = new int[1];
        int r = Native.libc().waitpid(pid, status, WNOHANG);
        check("waitpid", r, Integer.toString(pid));
        return r == 0 ? -1 : status[0];
    }

    /** waitpid's option: return at once when no child has changed state. */
    public static final int WNOHANG = 1;
}
