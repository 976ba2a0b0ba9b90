package dev.minidocker.container.registry;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import dev.minidocker.container.image.Digest;
import dev.minidocker.container.image.Image;
import dev.minidocker.container.image.ImageException;
import dev.minidocker.container.image.ImageImport;
import dev.minidocker.container.image.ImageReference;
import dev.minidocker.container.image.ImageStore;

/**
 * {@code mini pull}: manifest (through an index to this platform's), config, then the layers the
 * store lacks, three at a time, each checked against its digest and unpacked as soon as it is
 * complete, all committed as one store transaction, as {@code mini load} does.
 */
public final class ImagePuller {
    /** Docker downloads three layers at a time. */
    static final int PARALLEL_DOWNLOADS = 3;
    private static final long PROGRESS_EVERY_NANOS = 2_000_000_000L;

    private final ImageStore store;
    private final PrintStream out;

    public ImagePuller(ImageStore store, PrintStream progress) {
        this.store = store;
        this.out = progress;
    }

    /** The image as stored, and the manifest digest it was pulled by. */
    public record Pulled(Image image, Digest manifest, boolean downloadedAny) {
    }

    public Pulled pull(RegistryReference ref, Platform platform, RegistryClient client) {
        RegistryClient.Manifest m = client.manifest(ref.repository(), ref.manifestReference());
        line((ref.tag() != null ? ref.tag() : ref.digest().shortHex()) + ": Pulling from " + ref.repository());
        if (MediaTypes.isIndex(m.mediaType())) {
            JsonObject chosen = choosePlatform(m.json(), platform, ref);
            m = client.manifest(ref.repository(), ConfigJsonReader.string(chosen, "digest"));
            if (!MediaTypes.isManifest(m.mediaType())) {
                throw new RegistryException("the index of " + ref + " points at " + m.mediaType() + " for " + platform
                        + ", not at an image manifest");
            }
        }
        JsonObject manifest = m.json();
        JsonObject configDesc = ConfigJsonReader.object(manifest, "config", "manifest " + m.digest().shortHex());
        Digest configDigest = Digest.parse(ConfigJsonReader.string(configDesc, "digest"));
        byte[] config = client.blobBytes(ref.repository(), configDigest, configDesc.has("size") ? configDesc.get("size").getAsLong() : -1);
        List<Digest> diffIds = ConfigJsonReader.diffIds(config, "config " + configDigest.shortHex());
        warnOnOtherPlatform(config, platform);
        JsonArray layerDescs = ConfigJsonReader.array(manifest, "layers", "manifest " + m.digest().shortHex());
        if (layerDescs.size() != diffIds.size()) {
            throw new RegistryException("manifest " + m.digest().shortHex() + " lists " + layerDescs.size()
                    + " layers but its config has " + diffIds.size() + " diff_ids: the image is inconsistent");
        }
        boolean downloaded = false;
        ImageReference tag = ref.localName();
        String before = tag == null ? null : store.find(tag.toString()).map(Image::id).orElse(null);
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_DOWNLOADS, r -> {
            Thread t = new Thread(r, "mini-pull");
            t.setDaemon(true); // an interrupted pull must not wait for its downloads
            return t;
        });
        try (ImageImport imp = new ImageImport(store, null)) {
            // tag::parallel-pull[]
            // Three layers at a time are downloaded, each then unpacked on the same thread while
            // the next downloads run; the image lists them in the manifest's order.
            List<Future<ImageImport.Layer>> layers = new ArrayList<>();
            for (int i = 0; i < layerDescs.size(); i++) {
                JsonObject d = layerDescs.get(i).getAsJsonObject();
                Digest digest = Digest.parse(ConfigJsonReader.string(d, "digest"));
                Digest diffId = diffIds.get(i);
                long size = d.has("size") ? d.get("size").getAsLong() : -1;
                if (imp.hasLayerAndBlob(diffId, digest)) {
                    line(digest.shortHex() + ": Already exists");
                    layers.add(CompletableFuture.completedFuture(imp.layer(() -> null, digest, diffId, "layer " + digest.shortHex())));
                    continue;
                }
                Path target = imp.newFile("pull-" + digest.shortHex());
                layers.add(pool.submit(() -> {
                    download(client, ref.repository(), digest, size, target);
                    ImageImport.Layer l = imp.layer(() -> target, digest, diffId, "layer " + digest.shortHex());
                    line(digest.shortHex() + ": Pull complete");
                    return l;
                }));
                downloaded = true;
            }
            List<ImageImport.Layer> done = new ArrayList<>();
            for (Future<ImageImport.Layer> f : layers) {
                done.add(await(f));
            }
            // end::parallel-pull[]
            imp.addBlob(configDigest, config);
            imp.addBlob(m.digest(), m.bytes());
            imp.addImage(configDigest, m.digest(), done, tag == null ? List.of() : List.of(tag));
            imp.commit();
        } catch (IOException e) {
            throw new RegistryException("pulling " + ref + ": " + e.getMessage());
        } finally {
            pool.shutdownNow();
        }
        BlobSources.open(store).record(client.registry(), ref.repository(), layerDigests(layerDescs), configDigest);
        line("Digest: " + m.digest());
        Image image = tag != null ? store.get(tag.toString()) : store.get(configDigest.toString());
        line("Status: " + (downloaded || !image.id().equals(before) ? "Downloaded newer image for " : "Image is up to date for ") + ref);
        return new Pulled(image, m.digest(), downloaded);
    }

    private Path download(RegistryClient client, String repository, Digest digest, long size, Path target) {
        long[] last = {System.nanoTime()};
        client.downloadBlob(repository, digest, size, target, done -> {
            long now = System.nanoTime();
            if (now - last[0] > PROGRESS_EVERY_NANOS) {
                last[0] = now;
                line(digest.shortHex() + ": Downloading " + mb(done) + (size > 0 ? " of " + mb(size) : ""));
            }
        });
        line(digest.shortHex() + ": Download complete" + (size >= 0 ? " (" + mb(size) + ")" : ""));
        return target;
    }

    private static <T> T await(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted: nothing was stored");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ImageException ie) {
                throw ie;
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new RegistryException(e.getCause().toString(), e.getCause());
        }
    }

    // tag::platform[]
    /** From an index, the manifest for {@code platform}, skipping attestations (which are not images). */
    static JsonObject choosePlatform(JsonObject index, Platform platform, RegistryReference ref) {
        List<String> offered = new ArrayList<>();
        for (JsonElement e : ConfigJsonReader.array(index, "manifests", "index of " + ref)) {
            JsonObject m = e.getAsJsonObject();
            JsonObject ann = m.has("annotations") ? m.getAsJsonObject("annotations") : new JsonObject();
            if ("attestation-manifest".equals(ConfigJsonReader.string(ann, "vnd.docker.reference.type"))) {
                continue; // buildx provenance and SBOMs, platform "unknown/unknown"
            }
            JsonObject p = m.has("platform") ? m.getAsJsonObject("platform") : new JsonObject();
            String os = ConfigJsonReader.string(p, "os");
            String arch = ConfigJsonReader.string(p, "architecture");
            String variant = ConfigJsonReader.string(p, "variant");
            if (platform.matches(os, arch, variant)) {
                return m;
            }
            offered.add(os + "/" + arch + (variant.isEmpty() ? "" : "/" + variant));
        }
        throw new RegistryException(ref + " has no image for " + platform + " (it offers " + String.join(", ", offered)
                + "): choose one with --platform");
    }
    // end::platform[]

    /** A single-platform image says in its config what it was built for; docker warns on a mismatch too. */
    private void warnOnOtherPlatform(byte[] config, Platform platform) {
        JsonObject c = com.google.gson.JsonParser.parseString(new String(config, java.nio.charset.StandardCharsets.UTF_8))
                .getAsJsonObject();
        String os = ConfigJsonReader.string(c, "os");
        String arch = ConfigJsonReader.string(c, "architecture");
        if (!os.isEmpty() && !arch.isEmpty() && !platform.matches(os, arch, ConfigJsonReader.string(c, "variant"))) {
            line("WARNING: the image's platform (" + os + "/" + arch + ") is not the one asked for (" + platform + ")");
        }
    }

    private static List<Digest> layerDigests(JsonArray layers) {
        List<Digest> out = new ArrayList<>();
        layers.forEach(l -> out.add(Digest.parse(ConfigJsonReader.string(l.getAsJsonObject(), "digest"))));
        return out;
    }

    private void line(String s) {
        if (out != null) {
            out.println(s);
            out.flush();
        }
    }

    static String mb(long bytes) {
        return String.format("%.1f MB", bytes / (1024.0 * 1024));
    }
}
