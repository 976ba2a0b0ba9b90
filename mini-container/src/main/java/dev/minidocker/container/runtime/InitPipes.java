package dev.minidocker.container.runtime;

import java.nio.charset.StandardCharsets;

import dev.minidocker.sys.Native;

/**
 * The two pipes between the runtime and the init stage, at fixed descriptor numbers in the
 * init stage (like runc's _LIBCONTAINER_INITPIPE):
 * <ul>
 * <li>fd 3, the start pipe: init blocks reading it until the runtime has put it in its cgroup
 *     and says "go" (one byte). This is what keeps "create" and "start" separate.</li>
 * <li>fd 4, the error pipe: close-on-exec. If execve succeeds it closes and the runtime reads
 *     end-of-file; if anything fails before, init writes "CODE message" into it.</li>
 * </ul>
 */
public final class InitPipes {
    public static final int START_FD = 3;
    public static final int ERROR_FD = 4;

    private InitPipes() {
    }

    /** Reads until end-of-file; returns what was read (empty if the writer just closed). */
    public static String readAll(int fd) {
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[4096];
        while (true) {
            int n = (int) Native.libc().read(fd, buf, buf.length);
            if (n < 0) {
                if (Native.lastErrno() == dev.minidocker.sys.Errno.EINTR) {
                    continue;
                }
                break;
            }
            if (n == 0) {
                break;
            }
            sb.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    /** Writes all of text, ignoring a reader that went away. */
    public static void writeAll(int fd, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int off = 0;
        while (off < bytes.length) {
            byte[] rest = java.util.Arrays.copyOfRange(bytes, off, bytes.length);
            int n = (int) Native.libc().write(fd, rest, rest.length);
            if (n <= 0) {
                return;
            }
            off += n;
        }
    }
}
