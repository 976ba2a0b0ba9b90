package dev.minidocker.container.vm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.minidocker.vmm.boot.InitramfsWriter;

/**
 * The guest's PID 1 for {@code --isolation vm}: a busybox script (src/main/resources/.../vm/init)
 * kept in the image's initramfs as {@code /.mini/init}, and per run {@code /.mini/run.conf}, the
 * command and its settings as shell assignments, in a small archive appended to the cached one.
 */
public final class GuestInit {
    /** Where the kernel finds it: rdinit= on the command line, so an image's own /init stays its own. */
    public static final String PATH = "/.mini/init";
    public static final String BUSYBOX = ".mini/busybox";

    private GuestInit() {
    }

    public static String script() {
        try (InputStream in = GuestInit.class.getResourceAsStream("init")) {
            if (in == null) {
                throw new IllegalStateException("the VM guest's init script is missing from the jar; rebuild mini-container");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // tag::runconf[]
    /**
     * /.mini/run.conf: what init needs to run the command as the image and the flags say. Every
     * value is single-quoted, so nothing in it is expanded by the guest's shell.
     */
    public static String runConfig(VmProcess p) {
        StringBuilder s = new StringBuilder("# written by mini run --isolation vm, read by /.mini/init\n");
        s.append("MINI_HOSTNAME=").append(quote(p.hostname())).append('\n');
        s.append("MINI_CWD=").append(quote(p.cwd())).append('\n');
        s.append("MINI_USER=").append(quote(p.uid() == 0 && p.gid() == 0 ? "" : p.uid() + ":" + p.gid())).append('\n');
        s.append("MINI_PATH=").append(quote(p.path())).append('\n');
        s.append("mini_env() { $B env -i");
        for (String e : p.env()) {
            s.append(' ').append(quote(e));
        }
        s.append(" \"$@\"; }\n");
        s.append("set --");
        for (String a : p.args()) {
            s.append(' ').append(quote(a));
        }
        return s.append('\n').toString();
    }
    // end::runconf[]

    /** 'text' for sh: a single quote inside becomes '\'' (close, escaped quote, reopen). */
    // tag::quote[]
    static String quote(String text) {
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a NUL byte cannot be passed to the guest: " + text.replace('\0', '?'));
        }
        // exercise:begin ch17-shell-quote "wrap text in single quotes, where sh expands nothing; a single quote inside becomes '\'' (end the quotes, an escaped quote, quotes again)"
        return "'" + text.replace("'", "'\\''") + "'";
        // exercise:end ch17-shell-quote
    }
    // end::quote[]

    /** The small archive with /.mini/run.conf, to append to the image's cached initramfs. */
    public static byte[] runArchive(VmProcess p) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (InitramfsWriter w = new InitramfsWriter(bytes)) {
            w.file(".mini/run.conf", 0644, runConfig(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The command and the settings it runs with. */
    public record VmProcess(List<String> args, List<String> env, String cwd, String hostname, long uid, long gid) {
        /** The container's PATH, where init looks the command up (docker's default when the env has none). */
        public String path() {
            return env.stream().filter(e -> e.startsWith("PATH=")).reduce((a, b) -> b).map(e -> e.substring(5))
                    .orElse(dev.minidocker.container.spec.SpecDefaults.PATH);
        }
    }
}
