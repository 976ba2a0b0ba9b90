package dev.minidocker.container.registry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.minidocker.container.image.Digest;

/** Reading fields of manifests, indexes and configs, with an error that names the document. */
final class ConfigJsonReader {
    private ConfigJsonReader() {
    }

    static String string(JsonObject o, String field) {
        return o.has(field) && o.get(field).isJsonPrimitive() ? o.get(field).getAsString() : "";
    }

    static JsonObject object(JsonObject o, String field, String what) {
        if (!o.has(field) || !o.get(field).isJsonObject()) {
            throw new RegistryException(what + " has no '" + field + "' object");
        }
        return o.getAsJsonObject(field);
    }

    static JsonArray array(JsonObject o, String field, String what) {
        if (!o.has(field) || !o.get(field).isJsonArray()) {
            throw new RegistryException(what + " has no '" + field + "' list");
        }
        return o.getAsJsonArray(field);
    }

    static List<Digest> diffIds(byte[] config, String what) {
        JsonObject c;
        try {
            c = JsonParser.parseString(new String(config, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new RegistryException(what + " is not a JSON object: " + e.getMessage());
        }
        List<Digest> out = new ArrayList<>();
        for (JsonElement e : array(object(c, "rootfs", what), "diff_ids", what)) {
            out.add(Digest.parse(e.getAsString()));
        }
        return out;
    }
}
