package dev.minidocker.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel the guest boots: its version ({@code uname -r}), its image and its modules tree.
 *
 * @param origin where it came from, for the progress lines ("host /boot" or the Debian package)
 */
public record Kernel(String version, Path vmlinuz, Path modules, String origin) {

    /** The running host's own kernel when /boot has a readable image and its modules are installed. */
    public static Optional<Kernel> host() {
        try {
            String release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
            Path vmlinuz = Path.of("/boot", "vmlinuz-" + release);
            Path modules = Path.of("/lib/modules", release);
            if (Files.isReadable(vmlinuz) && Files.isDirectory(modules.resolve("kernel"))) {
                return Optional.of(new Kernel(release, vmlinuz, modules, "host /boot"));
            }
        } catch (IOException e) {
            // no /proc: not Linux, fall through to Debian's kernel
        }
        return Optional.empty();
    }

    /** The package that Debian's linux-image-amd64 currently depends on, e.g. linux-image-6.1.0-56-amd64. */
    public static String debianPackage() {
        String text;
        try {
            text = new String(Tools.output(List.of("apt-cache", "depends", "linux-image-amd64"), "apt"),
                    StandardCharsets.UTF_8);
        } catch (LabException e) {
            throw new LabException("apt cannot name Debian's kernel package (" + e.getMessage()
                    + "); run apt-get update first, or install a kernel in /boot");
        }
        String name = packageFromDepends(text);
        if (name == null) {
            throw new LabException("apt-cache knows no linux-image-amd64; run apt-get update first");
        }
        return name;
    }

    static String packageFromDepends(String aptCacheDepends) {
        Matcher m = Pattern.compile("(?m)^\\s*Depends:\\s*(linux-image-\\S+-amd64)\\s*$").matcher(aptCacheDepends);
        return m.find() ? m.group(1) : null;
    }

    /** linux-image-6.1.0-56-amd64 is the package of kernel release 6.1.0-56-amd64. */
    static String releaseOf(String debianPackage) {
        return debianPackage.substring("linux-image-".length());
    }
}
