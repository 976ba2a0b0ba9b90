package dev.minidocker.container.image;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * Reads and writes the OCI image config JSON: the run settings under {@code config} and the
 * layer list under {@code rootfs.diff_ids} (digests of the <em>uncompressed</em> layer tars).
 */
final class ConfigJson {
    private ConfigJson() {
    }

    static JsonObject parse(byte[] bytes, String what) {
        try {
            JsonElement e = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new ImageException(what + " is not a JSON object");
            }
            return e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new ImageException(what + " is not valid JSON: " + e.getMessage());
        }
    }

    static JsonElement parseAny(byte[] bytes, String what) {
        try {
            return JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
        } catch (JsonParseException e) {
            throw new ImageException(what + " is not valid JSON: " + e.getMessage());
        }
    }

    static ImageConfig runConfig(JsonObject config) {
        JsonObject c = config.has("config") && config.get("config").isJsonObject()
                ? config.getAsJsonObject("config") : new JsonObject();
        return new ImageConfig(strings(c, "Env"), strings(c, "Entrypoint"), strings(c, "Cmd"),
                string(c, "WorkingDir"), string(c, "User"));
    }

    static List<Digest> diffIds(JsonObject config, String what) {
        JsonObject rootfs = config.has("rootfs") && config.get("rootfs").isJsonObject()
                ? config.getAsJsonObject("rootfs") : null;
        if (rootfs == null || !rootfs.has("diff_ids")) {
            throw new ImageException(what + " has no rootfs.diff_ids: not an image config");
        }
        List<Digest> ids = new ArrayList<>();
        for (String s : strings(rootfs, "diff_ids")) {
            ids.add(Digest.parse(s));
        }
        return ids;
    }

    /** A minimal config as OCI defines it, for images made here. */
    static JsonObject build(ImageConfig run, List<Digest> diffIds, String created, String createdBy) {
        JsonObject c = new JsonObject();
        c.add("Env", array(run.env()));
        if (!run.entrypoint().isEmpty()) {
            c.add("Entrypoint", array(run.entrypoint()));
        }
        c.add("Cmd", array(run.cmd()));
        if (!run.workingDir().isEmpty()) {
            c.addProperty("WorkingDir", run.workingDir());
        }
        if (!run.user().isEmpty()) {
            c.addProperty("User", run.user());
        }
        JsonObject rootfs = new JsonObject();
        rootfs.addProperty("type", "layers");
        JsonArray ids = new JsonArray();
        diffIds.forEach(d -> ids.add(d.toString()));
        rootfs.add("diff_ids", ids);
        JsonObject history = new JsonObject();
        history.addProperty("created", created);
        history.addProperty("created_by", createdBy);
        JsonArray hist = new JsonArray();
        hist.add(history);
        JsonObject o = new JsonObject();
        o.addProperty("created", created);
        o.addProperty("architecture", "amd64");
        o.addProperty("os", "linux");
        o.add("config", c);
        o.add("rootfs", rootfs);
        o.add("history", hist);
        return o;
    }

    static JsonArray array(List<String> values) {
        JsonArray a = new JsonArray();
        values.forEach(a::add);
        return a;
    }

    static List<String> strings(JsonObject o, String field) {
        if (!o.has(field) || o.get(field).isJsonNull()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonElement e : o.getAsJsonArray(field)) {
            out.add(e.getAsString());
        }
        return out;
    }

    static String string(JsonObject o, String field) {
        return o.has(field) && !o.get(field).isJsonNull() ? o.get(field).getAsString() : "";
    }
}
