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
 * Brings one layer blob into a store transaction: reads it once, computing on the way the digest
 * of the blob as stored and the digest of the uncompressed tar (its diff_id), unpacks it into a
 * staged directory, and checks both digests before anything is committed.
 */
final class LayerIngest {
    private LayerIngest() {
    }

    // tag::ingest[]
    static StoredImage.Layer ingest(StoreTransaction tx, Path blob, Digest expectedBlob, Digest expectedDiffId,
                                    String what, Progress progress, UnpackLimits limits) throws IOException {
        long size = Files.size(blob);
        if (expectedDiffId != null && tx.hasLayer(expectedDiffId)) {
            // Already unpacked, by this image or another one: only the blob is checked against its
            // name (a plain tar's name is its diff_id, which the unpacked layer was checked against).
            String type = mediaType(blob);
            Digest actual = expectedBlob == null && type.endsWith(".tar") ? expectedDiffId : Digest.ofFile(blob);
            if (expectedBlob != null) {
                expectedBlob.verify(actual, what);
            }
            tx.stageBlob(actual, blob);
            progress.line("  " + what + ": already present");
            return new StoredImage.Layer(expectedDiffId.toString(), actual.toString(), type, size,
                    tx.layerBytes(expectedDiffId));
        }
        Path dir = tx.newPath("layer");
        Files.createDirectory(dir);
        MessageDigest blobSha = Digest.newSha256();
        MessageDigest tarSha = Digest.newSha256();
        LayerUnpacker.Result r;
        // the buffer sits above the digest, so peeking at the magic number is not hashed twice
        try (InputStream raw = new BufferedInputStream(new DigestInputStream(
                progress.counting(Files.newInputStream(blob), size, what), blobSha), 1 << 16);
             InputStream tar = new DigestInputStream(Compression.decompress(raw), tarSha)) {
            r = LayerUnpacker.unpack(tar, dir, LayerUnpacker.Whiteouts.OVERLAY, limits,
                    w -> progress.line("    warning: " + w));
            tar.transferTo(OutputStream.nullOutputStream()); // the tar's end padding counts in its digest
            raw.transferTo(OutputStream.nullOutputStream());
        } catch (ImageException | IOException e) {
            // A damaged blob usually breaks decompression before its digest can be compared:
            // then the digest is the better explanation.
            if (expectedBlob != null) {
                expectedBlob.verify(Digest.ofFile(blob), what);
            }
            throw e;
        }
        Digest blobDigest = Digest.of(blobSha);
        Digest diffId = Digest.of(tarSha);
        if (expectedBlob != null) {
            expectedBlob.verify(blobDigest, what);
        }
        if (expectedDiffId != null) {
            expectedDiffId.verify(diffId, what + " (uncompressed)");
        }
        tx.addLayer(diffId, dir, r.fileBytes());
        tx.stageBlob(blobDigest, blob);
        progress.line("  " + what + ": " + r.entries() + " entries, " + Progress.size(r.fileBytes()));
        return new StoredImage.Layer(diffId.toString(), blobDigest.toString(), mediaType(blob), size, r.fileBytes());
    }
    // end::ingest[]

    static String mediaType(Path blob) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(blob), 16)) {
            return Compression.detect(in).ociMediaType();
        }
    }
}
