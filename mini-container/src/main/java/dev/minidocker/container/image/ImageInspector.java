package dev.minidocker.container.image;

import java.util.List;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/** {@code mini image inspect}: an image's id, tags, run settings and layers, as JSON. */
public final class ImageInspector {
    private final ImageStore store;

    public ImageInspector(ImageStore store) {
        this.store = store;
    }

    public String inspect(String reference) {
        Image image = store.get(reference);
        JsonObject config = store.configJson(image);
        StoredImage stored = store.readImage(image.id()).orElseThrow(() -> new ImageNotFoundException(reference));
        JsonObject o = new JsonObject();
        o.addProperty("Id", image.id());
        JsonArray tags = new JsonArray();
        for (Map.Entry<String, String> t : store.readTags().entrySet()) {
            if (t.getValue().equals(image.id())) {
                tags.add(t.getKey());
            }
        }
        o.add("RepoTags", tags);
        o.addProperty("Created", ConfigJson.string(config, "created"));
        o.addProperty("Architecture", ConfigJson.string(config, "architecture"));
        o.addProperty("Os", ConfigJson.string(config, "os"));
        JsonObject run = new JsonObject();
        run.add("Env", ConfigJson.array(image.config().env()));
        run.add("Entrypoint", ConfigJson.array(image.config().entrypoint()));
        run.add("Cmd", ConfigJson.array(image.config().cmd()));
        run.addProperty("WorkingDir", image.config().workingDir());
        run.addProperty("User", image.config().user());
        o.add("Config", run);
        o.addProperty("Size", image.sizeBytes());
        o.addProperty("Manifest", stored.manifest());
        JsonArray layers = new JsonArray();
        List<StoredImage.Layer> ls = stored.layers();
        for (int i = 0; i < ls.size(); i++) {
            JsonObject l = new JsonObject();
            l.addProperty("DiffID", ls.get(i).diffId());
            l.addProperty("Digest", ls.get(i).digest());
            l.addProperty("MediaType", ls.get(i).mediaType());
            l.addProperty("Dir", image.layerDirs().get(i).toString());
            layers.add(l);
        }
        o.add("Layers", layers);
        return ImageStore.GSON.toJson(o);
    }
}
