package dev.minidocker.container.build;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import dev.minidocker.container.image.Digest;
import dev.minidocker.container.image.Image;
import dev.minidocker.container.image.ImageImport;
import dev.minidocker.container.image.ImageReference;
import dev.minidocker.container.image.ImageStore;
import dev.minidocker.container.image.LayerDiff;
import dev.minidocker.container.runtime.ContainerState;
import dev.minidocker.container.runtime.Containers;

/**
 * {@code mini commit}: a stopped container's changes (its overlay upper directory, which the engine
 * keeps until {@code mini rm}) become one more layer on top of its image's.
 */
public final class Committer {
    private Committer() {
    }

    // tag::commit-container[]
    public static Digest commit(Path miniRoot, String container, ImageReference tag, PrintStream out) {
        Containers containers = new Containers(miniRoot);
        ContainerState c = containers.find(container).orElseThrow(() -> new BuildException("no container \"" + container
                + "\" ('./mini ps -a' lists them)"));
        if (!ContainerState.STOPPED.equals(c.status())) {
            throw new BuildException("container " + c.name() + " is " + c.status() + ": commit a stopped container");
        }
        Path upper = containers.bundle(c.id()).resolve("upper");
        if (!Files.isDirectory(upper)) {
            throw new BuildException("container " + c.name() + " has no upper directory (it ran on a flattened copy or a"
                    + " plain directory): nothing to commit");
        }
        ImageStore store = ImageStore.open(miniRoot);
        Image base = store.find(c.image()).orElseThrow(() -> new BuildException("the image of container " + c.name()
                + " (" + c.image() + ") is no longer in the store"));
        try (ImageImport imp = new ImageImport(store, out)) {
            Path tar = imp.newFile("commit-layer");
            try (OutputStream o = Files.newOutputStream(tar)) {
                LayerDiff.write(upper, o, Set.of());
            }
            Digest diffId = Digest.ofFile(tar);
            List<ImageImport.Layer> layers = new ArrayList<>();
            for (Digest d : store.diffIds(base)) {
                layers.add(imp.present(d));
            }
            layers.add(imp.layer(() -> tar, diffId, diffId, "layer " + diffId.shortHex()));
            JsonObject config = store.configJson(base).deepCopy();
            JsonArray ids = new JsonArray();
            store.diffIds(base).forEach(d -> ids.add(d.toString()));
            ids.add(diffId.toString());
            config.getAsJsonObject("rootfs").add("diff_ids", ids);
            String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            config.addProperty("created", now);
            JsonObject h = new JsonObject();
            h.addProperty("created", now);
            h.addProperty("created_by", c.command());
            h.addProperty("comment", "mini commit " + c.name());
            if (!config.has("history")) {
                config.add("history", new JsonArray());
            }
            config.getAsJsonArray("history").add(h);
            Digest id = imp.addImage(config.toString().getBytes(StandardCharsets.UTF_8), layers, List.of(tag));
            imp.commit();
            return id;
        } catch (IOException e) {
            throw new BuildException("committing " + c.name() + ": " + e.getMessage());
        }
    }
    // end::commit-container[]
}
