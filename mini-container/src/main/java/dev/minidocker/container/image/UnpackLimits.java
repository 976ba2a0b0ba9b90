package dev.minidocker.container.image;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Bounds on what one layer may expand to, so that a tar bomb (millions of entries, or a small
 * compressed file that expands to terabytes) stops with a clear error instead of filling the disk;
 * and the free space unpacking leaves on the store's file system, checked before and during.
 */
public record UnpackLimits(long maxEntries, long maxBytes, long minFreeBytes) {
    /** Generous for real images (the largest common ones have a few hundred thousand files). */
    public static final UnpackLimits DEFAULT = new UnpackLimits(2_000_000, 64L << 30, 128L << 20);

    /** Without a free-space floor. */
    public UnpackLimits(long maxEntries, long maxBytes) {
        this(maxEntries, maxBytes, 0);
    }

    // tag::free-space[]
    /** Throws unless {@code dir}'s file system keeps {@code minFreeBytes} free after {@code more} bytes. */
    void checkFreeSpace(Path dir, long more, String what) throws IOException {
        if (minFreeBytes <= 0) {
            return;
        }
        FileStore fs = Files.getFileStore(dir);
        long free = fs.getUsableSpace();
        if (free - more < minFreeBytes) {
            throw new ImageException(what + ": only " + Progress.size(free) + " free on " + fs + (more > 0
                    ? " for " + Progress.size(more) + " more" : "") + ", and mini keeps " + Progress.size(minFreeBytes)
                    + " free: free some space, or set MINI_ROOT to a larger file system (nothing was loaded)");
        }
    }
    // end::free-space[]
}
