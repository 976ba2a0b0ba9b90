package dev.minidocker.container.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C in the middle of a load leaves the store as it was. */
class InterruptedLoadTest {
    @TempDir
    Path tmp;

    @Test
    void sigintDuringALoadLeavesNothingBehind() throws Exception {
        TarFixture t = new TarFixture();
        for (int d = 0; d < 60; d++) {
            t.dir("d" + d);
            for (int f = 0; f < 300; f++) {
                t.file("d" + d + "/f" + f, "content of file " + f + " in directory " + d);
            }
        }
        byte[] tar = t.bytes();
        Path layout = tmp.resolve("layout");
        OciLayoutWriter.write(layout, "big", List.of(tar), List.of(tar));
        Path storeDir = tmp.resolve("store");
        ImageStore store = ImageStore.open(storeDir);

        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LoadMain.class.getName(), storeDir.toString(), layout.toString())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("started", out.readLine());
        Thread.sleep(300); // well into unpacking 18,000 files
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        String rest = out.lines().reduce("", (a, b) -> a + b + "\n");
        p.waitFor(60, TimeUnit.SECONDS);

        assertFalse(rest.contains("Loaded image"), "the load finished before SIGINT; the test proves nothing: " + rest);
        assertEquals(130, p.exitValue(), rest);
        ImageLoaderTest.assertStoreEmpty(store);
        // and the store still works: the lock was released and the same load completes
        assertEquals("big:latest", new ImageLoader(store, null).load(layout, "big:latest").get(0).reference());
    }
}
