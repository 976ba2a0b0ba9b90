package dev.minidocker.container.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Registry credentials in the file format docker and podman share:
 * {@code {"auths": {"HOST": {"auth": base64("user:password")}}}}, readable by its owner only.
 * {@code mini login} writes {@code $REGISTRY_AUTH_FILE} or {@code ~/.config/containers/auth.json}
 * (where podman and skopeo look too); pulls also read {@code ~/.docker/config.json}.
 */
public final class AuthFile {
    private final Path file;
    private final List<Path> readAlso;

    public AuthFile(Path file, List<Path> readAlso) {
        this.file = file;
        this.readAlso = List.copyOf(readAlso);
    }

    /** The default location, as podman's containers-auth.json(5) orders it. */
    public static AuthFile standard(Map<String, String> env) {
        Path home = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")));
        String explicit = env.get("REGISTRY_AUTH_FILE");
        if (explicit != null && !explicit.isEmpty()) {
            return new AuthFile(Path.of(explicit), List.of());
        }
        return new AuthFile(home.resolve(".config/containers/auth.json"), List.of(home.resolve(".docker/config.json")));
    }

    public Path path() {
        return file;
    }

    public record Credentials(String user, String password) {
        String basic() {
            return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The credentials stored for {@code registry} (a host, or {@code docker.io}), if any. */
    public Optional<Credentials> get(String registry) {
        List<Path> files = new ArrayList<>();
        files.add(file);
        files.addAll(readAlso);
        for (Path f : files) {
            JsonObject auths = read(f).getAsJsonObject("auths");
            for (Map.Entry<String, JsonElement> e : auths.entrySet()) {
                if (sameRegistry(e.getKey(), registry) && e.getValue().isJsonObject()
                        && e.getValue().getAsJsonObject().has("auth")) {
                    String decoded = new String(Base64.getDecoder().decode(
                            e.getValue().getAsJsonObject().get("auth").getAsString()), StandardCharsets.UTF_8);
                    int colon = decoded.indexOf(':');
                    if (colon > 0) {
                        return Optional.of(new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
                    }
                }
            }
        }
        return Optional.empty();
    }

    public void put(String registry, Credentials c) {
        JsonObject root = read(file);
        JsonObject entry = new JsonObject();
        entry.addProperty("auth", c.basic());
        root.getAsJsonObject("auths").add(registry, entry);
        write(root);
    }

    /** Removes the entry; false when there was none. */
    public boolean remove(String registry) {
        JsonObject root = read(file);
        JsonObject auths = root.getAsJsonObject("auths");
        List<String> keys = auths.keySet().stream().filter(k -> sameRegistry(k, registry)).toList();
        keys.forEach(auths::remove);
        if (!keys.isEmpty()) {
            write(root);
        }
        return !keys.isEmpty();
    }

    /** Docker keys Docker Hub as {@code https://index.docker.io/v1/}; others may carry a scheme too. */
    static boolean sameRegistry(String key, String registry) {
        String k = key.replaceFirst("^https?://", "").replaceFirst("/.*$", "");
        if (k.equals("index.docker.io") || k.equals(RegistryReference.DOCKER_HUB_API)) {
            k = RegistryReference.DOCKER_HUB;
        }
        return k.equals(registry);
    }

    private static JsonObject read(Path f) {
        JsonObject root = new JsonObject();
        if (Files.exists(f)) {
            try {
                JsonElement e = JsonParser.parseString(Files.readString(f));
                if (e.isJsonObject()) {
                    root = e.getAsJsonObject();
                }
            } catch (IOException | RuntimeException e) {
                throw new RegistryException("cannot read the credentials file " + f + ": " + e.getMessage()
                        + " (fix or remove it)");
            }
        }
        if (!root.has("auths") || !root.get("auths").isJsonObject()) {
            root.add("auths", new JsonObject());
        }
        return root;
    }

    private void write(JsonObject root) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            // created 0600 before a byte is written, then renamed over the old file
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".auth", ".json",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, new GsonBuilder().setPrettyPrinting().create().toJson(root) + "\n");
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new RegistryException("cannot write the credentials file " + file + ": " + e.getMessage());
        }
    }
}
