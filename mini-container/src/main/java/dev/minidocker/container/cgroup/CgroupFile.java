package dev.minidocker.container.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.minidocker.sys.Native;

/**
 * Reading and writing cgroup control files. A cgroup is driven entirely through small text
 * files: one value ({@code memory.max}), a value or the word {@code max}, or "key value" lines
 * ({@code memory.events}, {@code cpu.stat}). Failures become one-line {@link CgroupException}s.
 */
final class CgroupFile {
    /** v1 shows "no limit" as the largest page-aligned counter, about 2^63. */
    private static final long V1_UNLIMITED = 1L << 62;

    private CgroupFile() {
    }

    // tag::write[]
    /** Writes one value, the way {@code echo VALUE > FILE} does. The file must already exist. */
    static void write(Path file, String value) {
        try {
            Files.write(file, value.getBytes(StandardCharsets.US_ASCII),
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw failure("write '" + value + "' to", file, e);
        }
    }
    // end::write[]

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw failure("read", file, e);
        }
    }

    /** A number, or -1 for {@code max} (v2) and for v1's "unlimited" sentinel. */
    static long readLong(Path file) {
        return parseLimit(read(file));
    }

    /** Like {@link #readLong} but -1 when the file does not exist (controller or kernel feature absent). */
    static long readLongIfPresent(Path file) {
        return Files.exists(file) ? readLong(file) : -1;
    }

    static long parseLimit(String value) {
        if (value.equals("max")) {
            return -1;
        }
        long n = Long.parseLong(value);
        return n >= V1_UNLIMITED ? -1 : n;
    }

    // tag::keyed[]
    /** "key value" lines, as in {@code memory.events}, {@code cpu.stat} or {@code memory.oom_control}. */
    static Map<String, Long> parseKeyed(String text) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2) {
                values.put(kv[0], parseLimit(kv[1]));
            }
        }
        return values;
    }
    // end::keyed[]

    /** One key of a keyed file, or -1 when the file or the key is absent. */
    static long readKey(Path file, String key) {
        if (!Files.exists(file)) {
            return -1;
        }
        return parseKeyed(read(file)).getOrDefault(key, -1L);
    }

    /** Turns an I/O failure on a control file into one line that says what to do. */
    static CgroupException failure(String action, Path file, IOException e) {
        String what = "cannot " + action + " " + file;
        if (e instanceof NoSuchFileException) {
            return new CgroupException(what + ": no such file (is its controller enabled for this cgroup?)", e);
        }
        if (e instanceof AccessDeniedException) {
            if (Native.posix().geteuid() != 0) {
                return new CgroupException(what + ": permission denied; cgroups need root: run mini as root (sudo)", e);
            }
            return new CgroupException(what + ": permission denied even as root; is /sys/fs/cgroup mounted read-only (inside a container)?", e);
        }
        String reason = e instanceof FileSystemException && ((FileSystemException) e).getReason() != null
                ? ((FileSystemException) e).getReason() : e.getMessage();
        if ("Read-only file system".equals(reason)) {
            return new CgroupException(what + ": /sys/fs/cgroup is mounted read-only; run on the host or remount it read-write", e);
        }
        return new CgroupException(what + ": " + reason, e);
    }
}
