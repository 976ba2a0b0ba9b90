package dev.minidocker.container.image;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * {@code mini image history}: the config's {@code history} list, newest first. Entries that made
 * a layer ({@code empty_layer} not set) are matched to the layers in order, for their sizes.
 */
public final class ImageHistory {
    public record Row(String image, String created, String createdBy, long size, String comment) {
    }

    private final ImageStore store;

    public ImageHistory(ImageStore store) {
        this.store = store;
    }

    public List<Row> history(String reference, Instant now) {
        Image image = store.get(reference);
        JsonObject config = store.configJson(image);
        List<StoredImage.Layer> layers = store.readImage(image.id()).orElseThrow().layers();
        List<Row> rows = new ArrayList<>();
        int layer = 0;
        if (config.has("history") && config.get("history").isJsonArray()) {
            for (JsonElement e : config.getAsJsonArray("history")) {
                JsonObject h = e.getAsJsonObject();
                boolean empty = h.has("empty_layer") && h.get("empty_layer").getAsBoolean();
                long size = 0;
                if (!empty && layer < layers.size()) {
                    size = layers.get(layer++).unpackedBytes();
                }
                rows.add(new Row("<missing>", ago(ConfigJson.string(h, "created"), now), ConfigJson.string(h, "created_by"),
                        size, ConfigJson.string(h, "comment")));
            }
        }
        for (; layer < layers.size(); layer++) { // layers the history does not describe
            rows.add(new Row("<missing>", "", "", layers.get(layer).unpackedBytes(), ""));
        }
        List<Row> newestFirst = new ArrayList<>();
        for (int i = rows.size() - 1; i >= 0; i--) {
            Row r = rows.get(i);
            newestFirst.add(i == rows.size() - 1 ? new Row(image.shortId(), r.created(), r.createdBy(), r.size(), r.comment()) : r);
        }
        return newestFirst;
    }

    /** As docker prints a table of it. */
    public String table(String reference, Instant now, boolean noTrunc) {
        String format = "%-14s %-16s %-47s %-10s %s%n";
        StringBuilder sb = new StringBuilder(String.format(format, "IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"));
        for (Row r : history(reference, now)) {
            String by = r.createdBy().replace('\n', ' ');
            if (!noTrunc && by.length() > 45) {
                by = by.substring(0, 44) + "…";
            }
            sb.append(String.format(format, r.image(), r.created(), by, Progress.size(r.size()).replace(" ", ""), r.comment()));
        }
        return sb.toString();
    }

    static String ago(String created, Instant now) {
        if (created.isEmpty()) {
            return "";
        }
        try {
            Duration d = Duration.between(Instant.parse(created), now);
            long s = d.getSeconds();
            if (s < 60) {
                return "seconds ago";
            } else if (s < 3600) {
                return (s / 60) + " minutes ago";
            } else if (s < 86400 * 2) {
                return (s / 3600) + " hours ago";
            } else if (s < 86400 * 14) {
                return (s / 86400) + " days ago";
            } else if (s < 86400 * 60) {
                return (s / (86400 * 7)) + " weeks ago";
            } else if (s < 86400 * 365 * 2) {
                return (s / (86400 * 30)) + " months ago";
            }
            return (s / (86400 * 365)) + " years ago";
        } catch (DateTimeParseException e) {
            return created;
        }
    }
}
