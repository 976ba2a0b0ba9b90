package dev.minidocker.container.cgroup;

import java.util.Locale;

/**
 * Memory sizes as docker spells them on its command line: a number with an optional unit
 * {@code b}, {@code k}, {@code m} or {@code g} (powers of 1024, case-insensitive), e.g.
 * {@code 64m}.
 */
public final class ByteSize {
    private static final long KIB = 1024;

    private ByteSize() {
    }

    /** {@code "64m"} to 67108864. Throws {@link IllegalArgumentException} with a usable message. */
    public static long parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.endsWith("ib")) {
            s = s.substring(0, s.length() - 2); // also accept "64MiB"
        } else if (s.length() > 1 && s.endsWith("b") && Character.isLetter(s.charAt(s.length() - 2))) {
            s = s.substring(0, s.length() - 1); // "64mb" as docker does
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("invalid size '" + text + "': use a number with b, k, m or g, e.g. 64m");
        }
        long unit = 1;
        {
            switch (s.charAt(s.length() - 1)) {
                case 'b': unit = 1; break;
                case 'k': unit = KIB; break;
                case 'm': unit = KIB * KIB; break;
                case 'g': unit = KIB * KIB * KIB; break;
                default: unit = 0;
            }
        }
        String digits = unit == 0 ? s : s.substring(0, s.length() - 1);
        if (unit == 0) {
            unit = 1;
        }
        try {
            double value = Double.parseDouble(digits);
            if (value < 0 || Double.isNaN(value) || Double.isInfinite(value) || !digits.matches("[0-9.]+")) {
                throw new NumberFormatException();
            }
            return (long) (value * unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid size '" + text + "': use a number with b, k, m or g, e.g. 64m");
        }
    }

    /** 67108864 to {@code "64 MiB"}; exact units where they fit, otherwise one decimal. */
    public static String format(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int i = 0;
        while (value >= KIB && i < units.length - 1) {
            value /= KIB;
            i++;
        }
        if (value == Math.rint(value)) {
            return (long) value + " " + units[i];
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[i]);
    }
}
