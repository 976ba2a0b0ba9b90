package dev.minidocker.ch06;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.minidocker.chapter.Narrator;
import dev.minidocker.container.image.Image;
import dev.minidocker.container.image.ImageListing;
import dev.minidocker.container.image.ImageLoader;
import dev.minidocker.container.image.ImageStore;
import dev.minidocker.container.image.LayerUnpacker;
import dev.minidocker.container.image.OciLayoutWriter;
import dev.minidocker.container.image.UnpackLimits;
import dev.minidocker.sys.Native;
import dev.minidocker.sys.Syscalls;

/**
 * Chapter 6: an image is a stack of layers, each a tar file of the changes it makes. Unpacked
 * once each, they are stacked by overlayfs into a container's root; a layer deletes what is
 * below it with whiteouts. Unpacking must never write outside the layer's directory.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws IOException {
        Narrator n = Narrator.fromArgs(args);
        n.title("Chapter 6: Image layers, tar files, whiteouts and overlayfs");
        if (Native.posix().geteuid() != 0) {
            n.say("This chapter mounts overlayfs and creates whiteout devices, which needs root: run it with sudo.");
            System.exit(1);
        }
        Path dir = Files.createTempDirectory("ch06");
        try {
            run(n, dir);
        } finally {
            new ProcessBuilder("rm", "-rf", dir.toString()).inheritIO().start();
        }
        n.conclude("An image is a stack of tar files; overlayfs stacks their unpacked directories, and whiteouts are"
                + " how a layer deletes what lies below it.");
    }

    static void run(Narrator n, Path dir) throws IOException {
        byte[] base = Layers.base();
        byte[] top = Layers.top();

        n.step("An image's layers are tar files of changes", "the top layer's .wh.b and .wh..wh..opq: they delete, they add nothing");
        Layers.list(base).forEach(e -> n.host("base.tar: " + e));
        Layers.list(top).forEach(e -> n.host("top.tar:  " + e));

        n.step("Unpack each layer once, into its own directory", "in the top layer, data/b became a 0/0 character device"
                + " and cache/ got the attribute trusted.overlay.opaque=y: that is how overlayfs spells a whiteout");
        Path baseDir = unpack(base, dir.resolve("layers/base"), LayerUnpacker.Whiteouts.OVERLAY);
        Path topDir = unpack(top, dir.resolve("layers/top"), LayerUnpacker.Whiteouts.OVERLAY);
        tree(topDir).forEach(l -> n.host("layers/top/" + l));

        n.step("Mount overlayfs: both layers below, a fresh upper directory for the container",
                "data/b is gone and data/c is there; cache/ shows only z");
        try (Overlay root = Overlay.mount(List.of(baseDir, topDir), dir.resolve("container"))) {
            tree(root.merged).forEach(n::inside);

            n.step("The container changes data/a and deletes data/c",
                    "the changes land in upper/ (a copy of a, a whiteout for c); the layers are untouched");
            Files.writeString(root.merged.resolve("data/a"), "a changed by the container\n");
            Files.delete(root.merged.resolve("data/c"));
            tree(root.upper).forEach(l -> n.host("upper/" + l));
            n.host("layers/base/data/a: " + Files.readString(baseDir.resolve("data/a")).strip());
        }

        n.step("Where overlayfs is missing: apply the layers one after the other into one directory",
                "the same tree as the overlay showed; no marker file is left");
        Path flat = unpack(base, dir.resolve("flat"), LayerUnpacker.Whiteouts.APPLY);
        unpack(top, flat, LayerUnpacker.Whiteouts.APPLY);
        tree(flat).forEach(l -> n.host("flat/" + l));

        n.step("A hostile layer: a link to a host directory, then a file written through the link",
                "the file lands inside the layer's directory; the host directory stays empty");
        Path victim = Files.createDirectories(dir.resolve("host-dir"));
        Layers.list(Layers.hostile(victim.toString())).forEach(e -> n.host("hostile.tar: " + e));
        Path hostile = unpack(Layers.hostile(victim.toString()), dir.resolve("layers/hostile"), LayerUnpacker.Whiteouts.OVERLAY);
        n.host("host-dir/: " + names(victim));
        n.host("planted at: layers/hostile/" + hostile.relativize(find(hostile, "planted")));

        n.step("Load the two layers as an image into a store, twice",
                "each layer is unpacked once, named by its digest; the second load finds them there");
        Path layout = dir.resolve("image");
        OciLayoutWriter.write(layout, "demo", List.of(base, top));
        ImageStore store = ImageStore.open(dir.resolve("store"));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(progress, true, StandardCharsets.UTF_8);
        new ImageLoader(store, p).load(layout, "ch06:demo");
        Image again = new ImageLoader(store, p).load(layout, "ch06:again").get(0);
        progress.toString(StandardCharsets.UTF_8).lines().forEach(n::host);
        ImageListing.table(store.list()).lines().forEach(n::host);
        n.host("layer directories: " + again.layerDirs().size() + " for both images");
    }

    static Path unpack(byte[] tar, Path into, LayerUnpacker.Whiteouts whiteouts) throws IOException {
        Files.createDirectories(into);
        LayerUnpacker.unpack(new ByteArrayInputStream(tar), into, whiteouts, UnpackLimits.DEFAULT, null);
        return into;
    }

    /** Every path below {@code root} with what it is: a file's content, a link's target, a whiteout. */
    static List<String> tree(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted().toList()) {
                if (p.equals(root)) {
                    continue;
                }
                out.add(root.relativize(p) + describe(p));
            }
        }
        return out;
    }

    // tag::describe[]
    static String describe(Path p) throws IOException {
        if (Files.isSymbolicLink(p)) {
            return " -> " + Files.readSymbolicLink(p);
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            byte[] opaque = Syscalls.lgetxattr(p.toString(), "trusted.overlay.opaque");
            return "/" + (opaque != null ? "  (trusted.overlay.opaque=" + new String(opaque, StandardCharsets.UTF_8) + ")" : "");
        }
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & 0170000) == 0020000) { // S_IFCHR
            long rdev = ((Number) Files.getAttribute(p, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).longValue();
            return rdev == 0 ? "  (character device 0/0: a whiteout)" : "  (character device)";
        }
        return ": " + Files.readString(p).strip();
    }
    // end::describe[]

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static Path find(Path root, String name) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().equals(name)).findFirst().orElseThrow();
        }
    }
}
