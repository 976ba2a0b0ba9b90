package dev.minidocker.ch01;

import dev.minidocker.chapter.Narrator;
import dev.minidocker.sys.Native;
import dev.minidocker.sys.SyscallException;
import dev.minidocker.sys.Syscalls;

/**
 * Chapter 1: Java has no API for unshare(2), mount(2) or pivot_root(2). jnr-ffi binds libc
 * functions from a Java interface; errno is saved right after each call and turned into an
 * exception that names the call, the errno and the path.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Narrator n = Narrator.fromArgs(args);
        n.title("Chapter 1: Talking to the kernel from Java");

        n.step("Call getpid(2) through jnr-posix (a ready-made jnr-ffi binding) and compare with the JVM's own answer",
                "the same number twice: both ask the kernel");
        n.host("getpid() via libc   = " + Native.posix().getpid());
        n.host("ProcessHandle.pid() = " + ProcessHandle.current().pid());

        n.step("Call mount(2), which Java cannot, through our own LibC interface, on a path that does not exist",
                "the call, its target and the errno by name: ENOENT");
        n.host(attempt(() -> Syscalls.mount("tmpfs", "/nonexistent/ch01", "tmpfs", 0, null)));

        n.step("pivot_root(2) has no glibc wrapper: call syscall(155, new_root, put_old) directly",
                "EINVAL or ENOENT: the kernel checked our arguments");
        n.host(attempt(() -> Syscalls.pivotRoot("/nonexistent/new", "/nonexistent/old")));

        n.step("ioctl(2) on a device that does not understand the request (TCGETS on /dev/null)",
                "ENOTTY: 'Inappropriate ioctl for device'");
        n.host(Ioctls.tcgetsOnDevNull());

        n.conclude("every system call mini-docker makes goes through Syscalls.check: one place turns -1 and errno into an error you can read");
    }

    private static String attempt(Runnable call) {
        try {
            call.run();
            return "succeeded (unexpected)";
        } catch (SyscallException e) {
            return "SyscallException: " + e.getMessage();
        }
    }
}
