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

    /** Where a layer blob is; only asked when the layer must be unpacked. */
    interface BlobFile {
        Path get() throws IOException;
    }

    // tag::ingest[]
    static StoredImage.Layer ingest(StoreTransaction tx, BlobFile blobFile, Digest expectedBlob, Digest expectedDiffId,
                                    String what, Progress progress, UnpackLimits limits) throws IOException {
        if (expectedDiffId != null && tx.hasLayer(expectedDiffId)) {
            // Already unpacked (by this image or another one) and checked then against this same
            // diff_id, which comes from a config whose own digest was checked: the blob need not be
            // read at all. A docker-archive layer is a plain tar: its blob digest is its diff_id.
            progress.line("  " + what + ": already present");
            Digest recorded = expectedBlob != null ? expectedBlob : expectedDiffId;
            Path stored = tx.storedBlob(recorded);
            String mediaType = stored != null ? mediaType(stored) : expectedBlob == null ? Compression.NONE.ociMediaType() : "";
            return new StoredImage.Layer(expectedDiffId.toString(), recorded.toString(), mediaType,
                    stored == null ? -1 : Files.size(stored), tx.layerBytes(expectedDiffId));
        }
        Path blob = blobFile.get();
        long size = Files.size(blob);
        limits.checkFreeSpace(tx.dir(), size, "not enough space to unpack " + what);
        Path dir = tx.newPath("layer");
        Files.createDirectory(dir);
        MessageDigest blobSha = Digest.newSha256();
        MessageDigest tarSha = Digest.newSha256();
        LayerUnpacker.Result r;
        // the buffer sits above the digest, so peeking at the magic number is not hashed twice
        try (InputStream raw = new BufferedInputStream(new DigestInputStream(
                progress.counting(Files.newInputStream(blob), size, what), blobSha), 1 << 16);
             // decompressing and hashing run on a second thread, ahead of the unpacker
             InputStream tar = new ReadAhead(new DigestInputStream(Compression.decompress(raw), tarSha))) {
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
        tx.addLayer(diffId, dir, r.fileBytes(), blobDigest);
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
