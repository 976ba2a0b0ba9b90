package dev.minidocker.container.image;

/**
 * Bounds on what one layer may expand to, so that a tar bomb (millions of entries, or a small
 * compressed file that expands to terabytes) stops with a clear error instead of filling the disk.
 */
public record UnpackLimits(long maxEntries, long maxBytes) {
    /** Generous for real images (the largest common ones have a few hundred thousand files). */
    public static final UnpackLimits DEFAULT = new UnpackLimits(2_000_000, 64L << 30);
}
