package dev.minidocker.container.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;

/**
 * Unpacks one layer file into a directory, the way the store does: {@code Unpack LAYER DIR [--apply]}.
 * For experiments and for bench/unpack.sh; {@code mini load} is the command users run.
 */
public final class Unpack {
    private Unpack() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: Unpack LAYER(.tar|.tar.gz|.tar.zst) DIR [--apply]");
            System.exit(2);
        }
        Path layer = Path.of(args[0]);
        Path dir = Path.of(args[1]);
        LayerUnpacker.Whiteouts mode = args.length > 2 && args[2].equals("--apply")
                ? LayerUnpacker.Whiteouts.APPLY : LayerUnpacker.Whiteouts.OVERLAY;
        MessageDigest sha = Digest.newSha256();
        try (InputStream in = new ReadAhead(new DigestInputStream(
                Compression.decompress(new BufferedInputStream(Files.newInputStream(layer), 1 << 16)), sha))) {
            Files.createDirectories(dir);
            LayerUnpacker.Result r = LayerUnpacker.unpack(in, dir, mode, UnpackLimits.DEFAULT, w -> System.err.println("warning: " + w));
            in.transferTo(OutputStream.nullOutputStream());
            // the store checks this digest (the layer's diff_id) on every load: the bench pays for it too
            System.err.println(r.entries() + " entries, " + Progress.size(r.fileBytes()) + ", diff_id " + Digest.of(sha));
        } catch (IOException e) {
            System.err.println("unpack: " + Io.describe(e));
            System.exit(1);
        } catch (ImageException e) {
            System.err.println("unpack: " + e.getMessage());
            System.exit(1);
        }
    }
}
