package dev.minidocker.container.registry;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;

import dev.minidocker.container.image.Digest;
import dev.minidocker.container.image.ImageStore;

/**
 * Which repositories are known to hold a blob ({@code ROOT/blob-sources.json}: digest to
 * {@code HOST/REPO} list), so a push to another repository of the same registry can ask for a
 * cross-repository mount instead of sending the bytes again. Only a hint: a wrong entry costs one
 * refused mount.
 */
final class BlobSources {
    private static final Type TYPE = new TypeToken<TreeMap<String, TreeSet<String>>>() { }.getType();
    private final Path file;

    private BlobSources(Path file) {
        this.file = file;
    }

    static BlobSources open(ImageStore store) {
        return new BlobSources(store.root().resolve("blob-sources.json"));
    }

    /** A repository on {@code registry} other than {@code repository} known to have the blob. */
    Optional<String> elsewhere(Digest blob, String registry, String repository) {
        TreeSet<String> s = read().get(blob.toString());
        if (s == null) {
            return Optional.empty();
        }
        String prefix = registry + "/";
        return s.stream().filter(r -> r.startsWith(prefix) && !r.equals(prefix + repository))
                .map(r -> r.substring(prefix.length())).findFirst();
    }

    synchronized void record(String registry, String repository, List<Digest> layers, Digest config) {
        Map<String, TreeSet<String>> m = read();
        for (Digest d : layers) {
            m.computeIfAbsent(d.toString(), k -> new TreeSet<>()).add(registry + "/" + repository);
        }
        m.computeIfAbsent(config.toString(), k -> new TreeSet<>()).add(registry + "/" + repository);
        try {
            Path tmp = Files.createTempFile(file.getParent(), ".blob-sources", ".json");
            Files.writeString(tmp, new Gson().toJson(m));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // only a hint for later pushes: losing it costs bandwidth, not correctness
        }
    }

    private Map<String, TreeSet<String>> read() {
        try {
            if (Files.exists(file)) {
                Map<String, TreeSet<String>> m = new Gson().fromJson(Files.readString(file), TYPE);
                if (m != null) {
                    return m;
                }
            }
        } catch (IOException | RuntimeException e) {
            // a damaged hint file is ignored and rewritten
        }
        return new TreeMap<>();
    }
}
