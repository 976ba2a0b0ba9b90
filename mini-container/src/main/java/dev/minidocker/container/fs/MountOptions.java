package dev.minidocker.container.fs;

import static dev.minidocker.sys.MountFlags.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An OCI mount's {@code options} split the way mount(8) splits them: words that are mount(2)
 * flags ({@code ro}, {@code nosuid}, {@code bind}), words that set propagation
 * ({@code rprivate}), and the rest, passed to the filesystem as its data string
 * ({@code mode=755}, {@code size=64m}).
 */
public record MountOptions(long flags, long clearFlags, long propagation, String data) {
    /** A flag word and whether it sets (true) or clears (false) its flag. */
    private record Flag(long flag, boolean set) {
    }

    private static final Map<String, Flag> FLAGS = Map.ofEntries(
            Map.entry("ro", new Flag(MS_RDONLY, true)), Map.entry("rw", new Flag(MS_RDONLY, false)),
            Map.entry("nosuid", new Flag(MS_NOSUID, true)), Map.entry("suid", new Flag(MS_NOSUID, false)),
            Map.entry("nodev", new Flag(MS_NODEV, true)), Map.entry("dev", new Flag(MS_NODEV, false)),
            Map.entry("noexec", new Flag(MS_NOEXEC, true)), Map.entry("exec", new Flag(MS_NOEXEC, false)),
            Map.entry("sync", new Flag(MS_SYNCHRONOUS, true)), Map.entry("async", new Flag(MS_SYNCHRONOUS, false)),
            Map.entry("dirsync", new Flag(MS_DIRSYNC, true)),
            Map.entry("remount", new Flag(MS_REMOUNT, true)),
            Map.entry("mand", new Flag(MS_MANDLOCK, true)), Map.entry("nomand", new Flag(MS_MANDLOCK, false)),
            Map.entry("noatime", new Flag(MS_NOATIME, true)), Map.entry("atime", new Flag(MS_NOATIME, false)),
            Map.entry("nodiratime", new Flag(MS_NODIRATIME, true)), Map.entry("diratime", new Flag(MS_NODIRATIME, false)),
            Map.entry("relatime", new Flag(MS_RELATIME, true)), Map.entry("norelatime", new Flag(MS_RELATIME, false)),
            Map.entry("strictatime", new Flag(MS_STRICTATIME, true)), Map.entry("nostrictatime", new Flag(MS_STRICTATIME, false)),
            Map.entry("bind", new Flag(MS_BIND, true)), Map.entry("rbind", new Flag(MS_BIND | MS_REC, true)));

    private static final Map<String, Long> PROPAGATION = Map.of(
            "private", MS_PRIVATE, "rprivate", MS_PRIVATE | MS_REC,
            "shared", MS_SHARED, "rshared", MS_SHARED | MS_REC,
            "slave", MS_SLAVE, "rslave", MS_SLAVE | MS_REC,
            "unbindable", MS_UNBINDABLE, "runbindable", MS_UNBINDABLE | MS_REC);

    /** Options engines send that are not the kernel's (crun's and podman's own words): ignored. */
    private static final List<String> IGNORED = List.of("tmpcopyup", "notmpcopyup", "copy-symlink", "idmap", "U", "z", "Z");

    public static MountOptions parse(List<String> options) {
        long flags = 0;
        long clear = 0;
        long propagation = 0;
        List<String> data = new ArrayList<>();
        for (String o : options == null ? List.<String>of() : options) {
            Flag f = FLAGS.get(o);
            if (f != null) {
                if (f.set) {
                    flags |= f.flag;
                    clear &= ~f.flag;
                } else {
                    flags &= ~f.flag;
                    clear |= f.flag;
                }
            } else if (PROPAGATION.containsKey(o)) {
                propagation = PROPAGATION.get(o);
            } else if (!IGNORED.contains(o)) {
                data.add(o);
            }
        }
        return new MountOptions(flags, clear, propagation, data.isEmpty() ? null : String.join(",", data));
    }

    public boolean isBind() {
        return (flags & MS_BIND) != 0;
    }

    public boolean isReadOnly() {
        return (flags & MS_RDONLY) != 0;
    }
}
