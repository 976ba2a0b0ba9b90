package dev.minidocker.container.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * How a layer blob is compressed, told by its first bytes (its "magic number"), never by its
 * file name or media type, which may lie.
 */
public enum Compression {
    NONE, GZIP, ZSTD;

    // tag::magic[]
    /** Looks at the first bytes of a stream that supports mark/reset, and leaves it unread. */
    public static Compression detect(InputStream in) throws IOException {
        in.mark(4);
        byte[] m = in.readNBytes(4);
        in.reset();
        if (m.length >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b) {
            return GZIP;                                     // RFC 1952
        }
        if (m.length == 4 && (m[0] & 0xff) == 0x28 && (m[1] & 0xff) == 0xb5
                && (m[2] & 0xff) == 0x2f && (m[3] & 0xff) == 0xfd) {
            return ZSTD;                                     // RFC 8878: 0xFD2FB528, little-endian
        }
        return NONE;
    }
    // end::magic[]

    /** Wraps {@code raw} so that reading it gives the uncompressed bytes. */
    public static InputStream decompress(InputStream raw) throws IOException {
        InputStream in = raw.markSupported() ? raw : new BufferedInputStream(raw, 1 << 16);
        switch (detect(in)) {
            case GZIP:
                return new GZIPInputStream(in, 1 << 16);     // reads concatenated members too
            case ZSTD:
                try {
                    return new ZstdCompressorInputStream(in);
                } catch (LinkageError e) {
                    throw new ImageException("cannot read a zstd layer: the zstd-jni library did not load (" + e.getMessage() + ")");
                }
            default:
                return in;
        }
    }

    /** The media type suffix OCI uses for this compression. */
    public String ociMediaType() {
        switch (this) {
            case GZIP:
                return "application/vnd.oci.image.layer.v1.tar+gzip";
            case ZSTD:
                return "application/vnd.oci.image.layer.v1.tar+zstd";
            default:
                return "application/vnd.oci.image.layer.v1.tar";
        }
    }
}
