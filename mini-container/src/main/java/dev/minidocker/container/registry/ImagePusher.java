package dev.minidocker.container.registry;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.minidocker.container.image.Digest;
import dev.minidocker.container.image.Image;
import dev.minidocker.container.image.ImageStore;

/**
 * {@code mini push}: every blob the image's manifest names (layers, then the config) that the
 * registry lacks, mounted from another repository of the same registry when one is known to have
 * it, uploaded otherwise; the manifest last, so that the tag never names a half-pushed image.
 */
public final class ImagePusher {
    private final ImageStore store;
    private final PrintStream out;

    public ImagePusher(ImageStore store, PrintStream progress) {
        this.store = store;
        this.out = progress;
    }

    /** Pushes {@code image} as {@code ref} (which names a tag); returns the manifest digest. */
    public Digest push(Image image, RegistryReference ref, RegistryClient client) {
        if (ref.tag() == null) {
            throw new RegistryException("push needs a tag, not a digest: " + ref);
        }
        Digest manifestDigest = store.manifestDigest(image);
        byte[] manifest;
        try {
            manifest = Files.readAllBytes(store.blob(manifestDigest));
        } catch (java.io.IOException e) {
            throw new RegistryException("reading the manifest of " + image.reference() + ": " + e.getMessage());
        }
        JsonObject m = JsonParser.parseString(new String(manifest, StandardCharsets.UTF_8)).getAsJsonObject();
        String mediaType = m.has("mediaType") ? m.get("mediaType").getAsString() : MediaTypes.OCI_MANIFEST;
        line("The push refers to repository [" + ref.registry() + "/" + ref.repository() + "]");
        BlobSources sources = BlobSources.open(store);
        List<Digest> layers = new ArrayList<>();
        for (JsonElement l : ConfigJsonReader.array(m, "layers", "manifest " + manifestDigest.shortHex())) {
            layers.add(Digest.parse(ConfigJsonReader.string(l.getAsJsonObject(), "digest")));
        }
        Digest config = Digest.parse(ConfigJsonReader.string(
                ConfigJsonReader.object(m, "config", "manifest " + manifestDigest.shortHex()), "digest"));
        List<Digest> blobs = new ArrayList<>(layers);
        blobs.add(config);
        // tag::push[]
        for (Digest d : blobs) {
            Path file = store.blob(d);
            if (client.hasBlob(ref.repository(), d)) {
                line(d.shortHex() + ": Layer already exists");
                continue;
            }
            Optional<String> from = sources.elsewhere(d, ref.registry(), ref.repository());
            if (from.isPresent() && client.mountBlob(ref.repository(), d, from.get())) {
                line(d.shortHex() + ": Mounted from " + from.get());
                continue;
            }
            int requests = client.uploadBlob(ref.repository(), d, file);
            line(d.shortHex() + ": Pushed" + (requests > 1 ? " (in " + requests + " chunks)" : ""));
        }
        Digest pushed = client.putManifest(ref.repository(), ref.tag(), manifest, mediaType);
        // end::push[]
        sources.record(ref.registry(), ref.repository(), layers, config);
        line(ref.tag() + ": digest: " + pushed + " size: " + manifest.length);
        return pushed;
    }

    private void line(String s) {
        if (out != null) {
            out.println(s);
            out.flush();
        }
    }
}
