package dev.minidocker.vmm.memory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One mapping of this process as the kernel describes it in /proc/self/smaps (proc(5)): how
 * much of it is resident, and its VmFlags, two-letter codes such as "mg" (VM_MERGEABLE, set by
 * madvise(MADV_MERGEABLE)) and "hg" (MADV_HUGEPAGE).
 */
public record Smaps(long rssBytes, List<String> vmFlags) {
    /** The mapping that starts at address, if there is one (and /proc is mounted). */
    public static Optional<Smaps> of(long address) {
        String start = Long.toHexString(address) + "-";
        boolean inside = false;
        long rss = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
                if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                    if (inside) {
                        break;   // the next mapping: ours had no VmFlags line (kernels before 3.8)
                    }
                    inside = line.startsWith(start);
                } else if (inside && line.startsWith("Rss:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                } else if (inside && line.startsWith("VmFlags:")) {
                    return Optional.of(new Smaps(rss, List.of(line.substring("VmFlags:".length()).strip().split(" "))));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return inside ? Optional.of(new Smaps(rss, List.of())) : Optional.empty();
    }
}
