package dev.minidocker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;

import dev.minidocker.container.fs.FileTrees;
import dev.minidocker.sys.Privileged;

/**
 * mini build and mini commit as a user runs them (the real ./mini, a store of its own), and the
 * same Dockerfile built by podman build: the layers must hold the same entries, whiteouts included.
 */
class MiniBuildCommandTest {
    @TempDir
    static Path tmp;
    private static Path ctx;

    @BeforeAll
    static void context() throws IOException {
        Privileged.requireRoot();
        ctx = tmp.resolve("ctx");
        Files.createDirectories(ctx.resolve("sub"));
        Files.writeString(ctx.resolve("hello.txt"), "hello\n");
        Files.writeString(ctx.resolve("sub/a"), "a\n");
        Files.writeString(ctx.resolve("secret.txt"), "not for the image\n");
        Files.createDirectories(ctx.resolve("glob"));
        for (String n : List.of("x.txt", "y.txt", "z.md", "secret.txt")) {
            Files.writeString(ctx.resolve("glob").resolve(n), n + "\n");
        }
        Files.writeString(ctx.resolve(".dockerignore"), "**/secret.txt\n");
        Process tar = new ProcessBuilder("tar", "cf", ctx.resolve("data.tar").toString(), "-C", ctx.resolve("sub").toString(), "a")
                .inheritIO().start();
        try {
            assertTrue(tar.waitFor(30, TimeUnit.SECONDS) && tar.exitValue() == 0, "tar failed");
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    private static MiniCommandTest.Run mini(String... args) throws Exception {
        Process p = MiniCommandTest.start(List.of(), Map.of("MINI_ROOT", tmp.resolve("root").toString()), args);
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "mini did not finish");
        return new MiniCommandTest.Run(p.exitValue(), out, err);
    }

    private static Path dockerfile(String name, String text) throws IOException {
        Path f = ctx.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void theBuiltImageRunsWithItsFilesEnvWorkdirAndUser() throws Exception {
        Path f = dockerfile("Dockerfile.run", """
                FROM busybox AS base
                ARG GREETING=hi
                ENV APP=/app \\
                    MODE=test
                RUN mkdir -p /app && echo "$GREETING" > /app/greeting
                COPY hello.txt sub /app/
                ADD data.tar /opt/
                FROM base
                COPY --from=base /app/greeting /greeting
                COPY glob/*.txt /ctx/
                WORKDIR /work
                USER 1000:1000
                CMD ["sh", "-c", "id -u; id -g; pwd; echo $APP $MODE; ls /app /opt /ctx; cat /greeting"]
                """);
        MiniCommandTest.Run b = mini("build", "-t", "built:run", "-f", f.toString(), "--build-arg", "GREETING=bonjour", ctx.toString());
        assertEquals(0, b.code(), b.out() + b.err());
        assertTrue(b.out().contains("STEP 4/12: RUN mkdir"), b.out());
        MiniCommandTest.Run r = mini("run", "--rm", "built:run");
        assertEquals(0, r.code(), r.err());
        assertEquals(String.join("\n", "1000", "1000", "/work", "/app test",
                "/app:", "a", "greeting", "hello.txt", "",
                "/ctx:", "x.txt", "y.txt", "",
                "/opt:", "a", "bonjour") + "\n", r.out()); // .dockerignore kept secret.txt out; ADD unpacked the tar
    }

    @Test
    void anUnchangedRebuildIsCachedAndMakesNoNewLayer() throws Exception {
        Files.writeString(ctx.resolve("cached.txt"), "one\n");
        Path f = dockerfile("Dockerfile.cache", """
                FROM busybox
                RUN echo built > /built
                COPY cached.txt /
                ENV K=v
                """);
        MiniCommandTest.Run cold = mini("build", "--no-cache", "-t", "built:cache", "-f", f.toString(), ctx.toString());
        assertEquals(0, cold.code(), cold.out() + cold.err());
        assertFalse(cold.out().contains("CACHED"), cold.out());
        long layers = count(tmp.resolve("root/layers"));
        MiniCommandTest.Run warm = mini("build", "-t", "built:cache", "-f", f.toString(), ctx.toString());
        assertEquals(0, warm.code(), warm.out() + warm.err());
        assertEquals(3, warm.out().lines().filter(l -> l.startsWith("--> CACHED")).count(), warm.out());
        assertEquals(layers, count(tmp.resolve("root/layers")), "a cached rebuild made a layer");
        assertEquals(builtId(cold.out()), builtId(warm.out()), "a cached rebuild is the same image");

        // without the image, the store's garbage collection runs; the cache's entries keep their layers
        MiniCommandTest.Run rmi = mini("rmi", "built:cache");
        assertEquals(0, rmi.code(), rmi.err());
        MiniCommandTest.Run afterRmi = mini("build", "-t", "built:cache", "-f", f.toString(), ctx.toString());
        assertEquals(3, afterRmi.out().lines().filter(l -> l.startsWith("--> CACHED")).count(), afterRmi.out());
        assertEquals(layers, count(tmp.resolve("root/layers")), "the cached layers were collected and made again");

        Files.writeString(ctx.resolve("cached.txt"), "two\n"); // the COPY's content changed: it and what follows run again
        MiniCommandTest.Run changed = mini("build", "-t", "built:cache", "-f", f.toString(), ctx.toString());
        assertEquals(0, changed.code(), changed.out() + changed.err());
        List<String> results = changed.out().lines().filter(l -> l.startsWith("--> ")).toList();
        assertTrue(results.get(0).startsWith("--> CACHED"), changed.out());
        assertFalse(results.get(1).startsWith("--> CACHED"), changed.out());
        assertEquals(2, results.size(), changed.out()); // ENV runs again too, and says nothing
        MiniCommandTest.Run r = mini("run", "--rm", "built:cache", "cat", "/built", "/cached.txt");
        assertEquals("built\ntwo\n", r.out(), r.err());
    }

    @Test
    void anUnknownInstructionIsRefusedWithItsLineNumber() throws Exception {
        Path f = dockerfile("Dockerfile.bad", "FROM busybox\n\nHEALTHCHECK CMD true\n");
        MiniCommandTest.Run r = mini("build", "-t", "built:bad", "-f", f.toString(), ctx.toString());
        assertEquals(125, r.code());
        assertTrue(r.err().startsWith("mini: Dockerfile.bad:3: unknown or unsupported instruction HEALTHCHECK"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());

        Path failing = dockerfile("Dockerfile.fail", "FROM busybox\nRUN echo ok\nRUN exit 3\n");
        MiniCommandTest.Run f2 = mini("build", "-t", "built:fail", "-f", failing.toString(), ctx.toString());
        assertEquals(125, f2.code());
        assertTrue(f2.err().contains("mini: Dockerfile.fail:3: RUN /bin/sh -c exit 3: exited with status 3"), f2.err());

        Path missing = dockerfile("Dockerfile.missing", "FROM busybox\nCOPY secret.txt /\n");
        MiniCommandTest.Run m = mini("build", "-t", "built:missing", "-f", missing.toString(), ctx.toString());
        assertEquals(125, m.code());
        assertTrue(m.err().contains("Dockerfile.missing:2: COPY secret.txt: no such file in the build context (.dockerignore leaves it out)"), m.err());
    }

    @Test
    void commitMakesAnImageOfAStoppedContainer() throws Exception {
        MiniCommandTest.Run run = mini("run", "--name", "to-commit", "busybox", "sh", "-c", "echo changed > /note; rm /etc/group");
        assertEquals(0, run.code(), run.err());
        try {
            MiniCommandTest.Run c = mini("commit", "to-commit", "committed:1");
            assertEquals(0, c.code(), c.err());
            assertTrue(c.out().startsWith("sha256:"), c.out());
            MiniCommandTest.Run r = mini("run", "--rm", "committed:1", "sh", "-c", "cat /note; ls /etc");
            assertEquals("changed\npasswd\n", r.out(), r.err()); // the deletion of /etc/group is in the layer too
        } finally {
            mini("rm", "to-commit");
        }
        MiniCommandTest.Run none = mini("commit", "no-such-container", "x:1");
        assertEquals(125, none.code());
        assertTrue(none.err().startsWith("mini: no container \"no-such-container\""), none.err());
    }

    // ---- against podman build ------------------------------------------------------------------

    /** The same Dockerfile through podman build (vfs, runc) and mini build: every layer above the base has the same entries. */
    @Test
    void podmanBuildGivesTheSameLayers() throws Exception {
        Privileged.require(Files.isExecutable(Path.of("/usr/bin/podman")), "podman is not installed (apt-get install podman)");
        Path f = dockerfile("Dockerfile.cmp", """
                FROM busybox
                RUN mkdir -p /app && echo one > /app/one && rm /etc/group && echo x > /home/x
                COPY hello.txt /app/
                COPY sub /data/
                ADD data.tar /opt/
                RUN ln -s /app/one /app/link && rm /app/hello.txt && chmod 600 /app/one && chown 7:8 /data/a
                """);
        MiniCommandTest.Run b = mini("build", "-t", "built:cmp", "-f", f.toString(), ctx.toString());
        assertEquals(0, b.code(), b.out() + b.err());
        assertEquals(0, mini("save", "-o", tmp.resolve("mini.tar").toString(), "built:cmp").code());
        assertEquals(0, mini("save", "-o", tmp.resolve("base.tar").toString(), "busybox").code());
        Path pod = tmp.resolve("podman");
        try {
            podman(pod, "load", "-i", tmp.resolve("base.tar").toString());
            podman(pod, "build", "--pull=never", "--network", "none", "--ulimit", "nofile=1024:1024", "--ulimit",
                    "nproc=1024:1024", "-f", f.toString(), "-t", "built:cmp", ctx.toString());
            podman(pod, "save", "--format", "docker-archive", "-o", tmp.resolve("podman.tar").toString(), "localhost/built:cmp");
        } finally {
            podman(pod, "rmi", "-a", "-f");
            FileTrees.delete(pod);
        }
        List<TreeSet<String>> mine = layers(tmp.resolve("mini.tar"));
        List<TreeSet<String>> theirs = layers(tmp.resolve("podman.tar"));
        // buildah leaves the mount points it made for a RUN (an empty /etc/hostname, /run) in that step's layer
        theirs.forEach(l -> l.removeIf(e -> e.startsWith("etc/hostname ") || e.startsWith("run ")));
        assertEquals(theirs, mine);
        assertTrue(mine.get(1).contains("etc/.wh.group file 0 0:0 0 "), mine.get(1).toString());
        assertTrue(mine.get(5).contains("app/.wh.hello.txt file 0 0:0 0 "), mine.get(5).toString());
    }

    private static void podman(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("podman", "--root", dir.resolve("root").toString(),
                "--runroot", dir.resolve("run").toString(), "--tmpdir", dir.resolve("tmp").toString(),
                "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs", "--events-backend", "file", "--runtime", "runc"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "podman did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", args) + ": " + out);
    }

    /** Each layer of a docker-archive as its entries: name, type, permission bits, owner, size, link target. */
    private static List<TreeSet<String>> layers(Path archive) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "x");
        Process p = new ProcessBuilder("tar", "xf", archive.toString(), "-C", dir.toString()).inheritIO().start();
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0);
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        JsonArray layers = JsonParser.parseString(Files.readString(dir.resolve("manifest.json"))).getAsJsonArray()
                .get(0).getAsJsonObject().getAsJsonArray("Layers");
        List<TreeSet<String>> out = new ArrayList<>();
        for (var l : layers) {
            TreeSet<String> entries = new TreeSet<>();
            try (InputStream in = Files.newInputStream(dir.resolve(l.getAsString()));
                 TarArchiveInputStream t = new TarArchiveInputStream(in)) {
                for (TarArchiveEntry e; (e = t.getNextTarEntry()) != null; ) {
                    String name = e.getName().replaceFirst("^\\./", "").replaceFirst("/$", "");
                    String type = e.isDirectory() ? "dir" : e.isSymbolicLink() ? "symlink" : e.isLink() ? "link" : "file";
                    entries.add(name + " " + type + " " + Integer.toOctalString(e.getMode() & 07777) + " " + e.getLongUserId()
                            + ":" + e.getLongGroupId() + " " + (e.isDirectory() ? 0 : e.getSize()) + " " + e.getLinkName());
                }
            }
            out.add(entries);
        }
        return out;
    }

    private static String builtId(String out) {
        return out.lines().filter(l -> l.startsWith("Successfully built ")).findFirst().orElseThrow();
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
