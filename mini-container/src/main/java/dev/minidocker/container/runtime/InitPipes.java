package dev.minidocker.container.runtime;

import java.nio.charset.StandardCharsets;

import dev.minidocker.sys.Native;

/**
 * The two pipes between the runtime and the init stage (like runc's _LIBCONTAINER_INITPIPE),
 * just above the descriptors the container keeps:
 * <ul>
 * <li>the control pipe, runtime to init: "c" once init.json is written (the init stage's JVM
 *     starts meanwhile), "h" once the runtime has run the createRuntime hooks.</li>
 * <li>the sync pipe, init to runtime, close-on-exec, one line a message: "H" (run the
 *     createRuntime hooks now), "C" (created: waiting for start), "E" CODE message (failed). If
 *     execve succeeds it closes and the runtime reads end-of-file.</li>
 * </ul>
 */
public final class InitPipes {
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

    /** Reads one line (without its newline); null at end of file. */
    public static String readLine(int fd) {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        byte[] b = new byte[1];
        while (true) {
            long n = Native.libc().read(fd, b, 1);
            if (n < 0 && Native.lastErrno() == dev.minidocker.sys.Errno.EINTR) {
                continue;
            }
            if (n <= 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            if (b[0] == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(b[0]);
        }
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
