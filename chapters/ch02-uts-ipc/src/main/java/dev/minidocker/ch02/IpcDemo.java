package dev.minidocker.ch02;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.minidocker.chapter.Demos;

/**
 * System V IPC objects (message queues, semaphores, shared memory) are named by numeric keys
 * that every process on the host can look up: exactly what an IPC namespace hides.
 */
public final class IpcDemo {
    private static final Pattern ID = Pattern.compile("id:\\s*(\\d+)");

    private IpcDemo() {
    }

    /** Creates a message queue on the host with util-linux's ipcmk; returns its msqid. */
    public static String createHostQueue() {
        String out = host("ipcmk", "-Q");
        Matcher m = ID.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("ipcmk -Q printed no id: " + out);
        }
        return m.group(1);
    }

    /** Whether the host's /proc/sysvipc/msg lists the queue (its second column is the msqid). */
    public static boolean hostSees(String id) {
        return msqids(host("cat", "/proc/sysvipc/msg")).contains(id);
    }

    /** The msqids in a /proc/sysvipc/msg listing: the file is per IPC namespace. */
    public static java.util.List<String> msqids(String procSysvipcMsg) {
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (String line : procSysvipcMsg.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 1 && f[0].matches("-?\\d+")) {
                ids.add(f[1]);
            }
        }
        return ids;
    }

    public static void removeHostQueue(String id) {
        host("ipcrm", "-q", id);
    }

    /** /proc/sysvipc/msg as a container sees it. */
    public static String queuesInsideContainer() {
        return Demos.container("cat", "/proc/sysvipc/msg").run().stdout();
    }

    private static String host(String... cmd) {
        try {
            Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out.trim());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", cmd) + ": " + e.getMessage()
                    + " (install util-linux)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
