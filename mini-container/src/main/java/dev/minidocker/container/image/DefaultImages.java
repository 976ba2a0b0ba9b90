package dev.minidocker.container.image;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * The default image, {@code busybox:latest}, made offline from what the host has: a static
 * busybox (Debian's busybox-static) with a symbolic link per applet, or else a shell and core
 * tools copied from the host with the shared libraries they need. It is stored exactly like a
 * loaded image: a layer tar blob, a config, a manifest, and the layer unpacked once.
 */
public final class DefaultImages {
    public static final String BUSYBOX = "busybox:latest";
    static final List<String> PATH = List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    /** Tools copied from the host when there is no static busybox. */
    static final List<String> HOST_TOOLS = List.of("sh", "ls", "cat", "echo", "env", "id", "ps", "mkdir", "rm", "cp",
            "mv", "ln", "touch", "hostname", "sleep", "true", "false", "uname", "grep", "head", "tail", "wc",
            "readlink", "pwd", "date", "stat", "chmod", "find", "sed", "mount", "kill", "test", "expr", "printf");
    private static final Pattern LDD_PATH = Pattern.compile("(?:=>\\s*)?(/\\S+)\\s+\\(0x[0-9a-f]+\\)");

    private DefaultImages() {
    }

    /** Makes the image "busybox:latest" offline on first use (progress lines to {@code progress}), returns it. */
    public static Image ensureBusybox(ImageStore store, PrintStream progress) {
        return ensureBusybox(store, progress, Path.of("/bin/busybox"));
    }

    /** As above, with the busybox to use; a missing or dynamic one makes the image from host tools. */
    static Image ensureBusybox(ImageStore store, PrintStream progress, Path busybox) {
        Optional<Image> existing = store.find(BUSYBOX);
        if (existing.isPresent()) {
            return existing.get();
        }
        Progress p = new Progress(progress);
        try (StoreTransaction tx = new StoreTransaction(store)) {
            existing = store.find(BUSYBOX); // another process may have made it while we waited for the lock
            if (existing.isPresent()) {
                return existing.get();
            }
            Path layer = tx.newPath("layer.tar");
            FileTime mtime;
            String createdBy;
            if (Files.isRegularFile(busybox) && Elf.isStatic(busybox)) {
                p.line("making the default image " + BUSYBOX + " from " + busybox + " (static)");
                mtime = Files.getLastModifiedTime(busybox);
                createdBy = "mini-docker: static busybox from " + busybox;
                try (OutputStream out = Files.newOutputStream(layer); LayerBuilder b = new LayerBuilder(out, mtime)) {
                    baseFiles(b);
                    busyboxFiles(b, busybox);
                }
            } else {
                p.line("making the default image " + BUSYBOX + " from host tools (no static busybox at " + busybox
                        + "; install busybox-static for a smaller one)");
                mtime = FileTime.from(Instant.EPOCH);
                createdBy = "mini-docker: host tools and their shared libraries";
                try (OutputStream out = Files.newOutputStream(layer); LayerBuilder b = new LayerBuilder(out, mtime)) {
                    baseFiles(b);
                    hostToolFiles(b, p);
                }
            }
            StoredImage.Layer l = LayerIngest.ingest(tx, () -> layer, null, null, "layer 1/1", p, UnpackLimits.DEFAULT);
            Digest diffId = Digest.parse(l.diffId());
            ImageConfig run = new ImageConfig(PATH, List.of(), List.of("sh"), "", "");
            byte[] config = ImageStore.GSON.toJson(ConfigJson.build(run, List.of(diffId), mtime.toInstant().toString(), createdBy))
                    .getBytes(StandardCharsets.UTF_8);
            Digest configDigest = Digest.of(config);
            tx.addBlob(configDigest, config);
            byte[] manifest = ImageStore.GSON.toJson(manifest(configDigest, config.length, l)).getBytes(StandardCharsets.UTF_8);
            Digest manifestDigest = Digest.of(manifest);
            tx.addBlob(manifestDigest, manifest);
            tx.addImage(new StoredImage(configDigest.toString(), manifestDigest.toString(), List.of(l)),
                    List.of(ImageReference.parse(BUSYBOX)));
            tx.commit();
            p.line("made " + BUSYBOX + " (id " + configDigest.shortHex() + ")");
        } catch (IOException e) {
            throw new ImageException("making the default image " + BUSYBOX + ": " + Io.describe(e));
        }
        return store.get(BUSYBOX);
    }

    /** An OCI image manifest for one config and its layers. */
    static JsonObject manifest(Digest config, long configSize, List<StoredImage.Layer> layers) {
        JsonObject m = new JsonObject();
        m.addProperty("schemaVersion", 2);
        m.addProperty("mediaType", "application/vnd.oci.image.manifest.v1+json");
        JsonObject c = new JsonObject();
        c.addProperty("mediaType", "application/vnd.oci.image.config.v1+json");
        c.addProperty("digest", config.toString());
        c.addProperty("size", configSize);
        m.add("config", c);
        JsonArray ls = new JsonArray();
        for (StoredImage.Layer l : layers) {
            JsonObject d = new JsonObject();
            d.addProperty("mediaType", l.mediaType());
            d.addProperty("digest", l.digest());
            d.addProperty("size", l.size());
            ls.add(d);
        }
        m.add("layers", ls);
        return m;
    }

    static JsonObject manifest(Digest config, long configSize, StoredImage.Layer layer) {
        return manifest(config, configSize, List.of(layer));
    }

    // tag::rootfs[]
    /** What every container root needs: the mount points, /tmp, root's home, and who root is. */
    private static void baseFiles(LayerBuilder b) throws IOException {
        for (String d : List.of("bin", "dev", "etc", "home", "proc", "sys", "usr/bin", "usr/sbin", "sbin", "var")) {
            b.dir(d, 0755);
        }
        b.dir("root", 0700);
        b.dir("tmp", 01777);
        b.file("etc/passwd", 0644, ("root:x:0:0:root:/root:/bin/sh\n"
                + "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n").getBytes(StandardCharsets.US_ASCII));
        b.file("etc/group", 0644, "root:x:0:\nnobody:x:65534:\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** /bin/busybox and one symbolic link per applet it lists. */
    private static void busyboxFiles(LayerBuilder b, Path busybox) throws IOException {
        b.file("bin/busybox", 0755, busybox);
        for (String applet : run(List.of(busybox.toString(), "--list"))) {
            if (applet.matches("[A-Za-z0-9_.\\[\\]-]+") && !applet.equals("busybox")) {
                b.symlink("bin/" + applet, "busybox");
            }
        }
    }
    // end::rootfs[]

    /** Host binaries under /bin, and each shared library at the path the dynamic loader looks for it. */
    private static void hostToolFiles(LayerBuilder b, Progress p) throws IOException {
        Map<String, Path> libraries = new LinkedHashMap<>();
        List<String> found = new ArrayList<>();
        for (String tool : HOST_TOOLS) {
            Optional<Path> exe = onHostPath(tool);
            if (exe.isEmpty()) {
                continue;
            }
            found.add(tool);
            b.file("bin/" + tool, 0755, exe.get().toRealPath());
            for (String lib : sharedLibraries(exe.get())) {
                libraries.putIfAbsent(lib, Path.of(lib).toRealPath());
            }
        }
        if (!found.contains("sh")) {
            throw new ImageException("the host has neither a static busybox nor /bin/sh: install busybox-static");
        }
        for (Map.Entry<String, Path> lib : libraries.entrySet()) {
            b.file(lib.getKey().substring(1), 0755, lib.getValue());
        }
        p.line("  " + found.size() + " tools, " + libraries.size() + " shared libraries");
    }

    static Optional<Path> onHostPath(String tool) {
        for (String dir : List.of("/bin", "/usr/bin", "/sbin", "/usr/sbin")) {
            Path p = Path.of(dir, tool);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The libraries (and the loader) a dynamic executable needs, as ldd(1) resolves them. */
    static List<String> sharedLibraries(Path exe) {
        if (Elf.isStatic(exe)) {
            return List.of();
        }
        List<String> libs = new ArrayList<>();
        for (String line : run(List.of("ldd", exe.toString()))) {
            Matcher m = LDD_PATH.matcher(line);
            if (m.find()) {
                libs.add(m.group(1));
            }
        }
        return libs;
    }

    private static List<String> run(List<String> command) {
        try {
            Process proc = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!proc.waitFor(30, TimeUnit.SECONDS) || proc.exitValue() != 0) {
                throw new ImageException("'" + String.join(" ", command) + "' failed: " + out.strip());
            }
            return out.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            throw new ImageException("cannot run '" + command.get(0) + "': " + Io.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException("interrupted while running '" + command.get(0) + "'");
        }
    }
}
