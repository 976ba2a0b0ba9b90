package dev.minidocker.container.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.minidocker.container.ns.SubordinateIds;
import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.sys.Native;
import dev.minidocker.sys.Syscalls;

/**
 * {@code mini run --userns=private}: the engine's step that gives the container a user namespace.
 * config.json gets linux.namespaces "user" and the uid and gid mappings (container 0.. to the
 * host range of {@link SubordinateIds}); the runtime makes the namespace and idmaps the image's
 * layers. The container's own directories become the mapped root's: the overlay's upper and work
 * directories (what the container writes lands there, owned by the host's 100000, say), and a
 * flattened copy of the image where there is no overlayfs (a chown'd copy: it is the container's
 * own anyway).
 */
public final class UserNamespaceSetup {
    private UserNamespaceSetup() {
    }

    /** inner's step (network, mounts), then the user namespace. */
    public static NetworkSetup around(NetworkSetup inner, SubordinateIds.Mapping mapping) {
        return NetworkSetup.then(inner, (id, name, bundle, spec) -> apply(spec, bundle, mapping));
    }

    // tag::userns-spec[]
    static ContainerSpec apply(ContainerSpec spec, Path bundle, SubordinateIds.Mapping mapping) {
        long uid = mapping.uids().first();
        long gid = mapping.gids().first();
        ContainerSpec.Linux l = spec.linux();
        List<ContainerSpec.Namespace> namespaces = new ArrayList<>(l.namespaces());
        namespaces.add(0, new ContainerSpec.Namespace("user", null));
        ContainerSpec.Linux linux = new ContainerSpec.Linux(namespaces, mapping.uidMappings(), mapping.gidMappings(), l.devices(),
                l.cgroupsPath(), l.resources(), l.sysctl(), l.seccomp(), l.rootfsPropagation(), l.maskedPaths(),
                l.readonlyPaths(), l.mountLabel(), l.personality());
        List<ContainerSpec.Mount> mounts = new ArrayList<>();
        boolean overlay = false;
        for (ContainerSpec.Mount m : spec.mounts()) {
            if (m.destination().equals("/") && "overlay".equals(m.type())) {
                // overlayfs mounted in a user namespace keeps its own metadata in user.* xattrs (trusted.* is host root's)
                List<String> options = new ArrayList<>(m.options());
                options.add("userxattr");
                m = new ContainerSpec.Mount(m.destination(), m.type(), m.source(), options);
                overlay = true;
            }
            mounts.add(m);
        }
        if (overlay) {
            chown(bundle.resolve("upper"), uid, gid);
            chown(bundle.resolve("work"), uid, gid);
        } else if (Path.of(spec.root().path()).startsWith(bundle)) {
            shiftOwners(Path.of(spec.root().path()), uid, gid, mapping.size()); // the container's own copy
        }
        return spec.withLinux(linux).withMounts(mounts);
    }
    // end::userns-spec[]

    private static void chown(Path p, long uid, long gid) {
        Syscalls.check("lchown", Native.libc().lchown(p.toString(), (int) uid, (int) gid), p.toString());
    }

    /** Every file's owner and group moved up by the range's start (0 becomes 100000; IDs beyond the range: the top one). */
    static void shiftOwners(Path top, long uid, long gid, long size) {
        try (Stream<Path> files = Files.walk(top)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                boolean link = Files.isSymbolicLink(f);
                int owner = (Integer) Files.getAttribute(f, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                int group = (Integer) Files.getAttribute(f, "unix:gid", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) Files.getAttribute(f, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
                chown(f, uid + Math.min(owner, size - 1), gid + Math.min(group, size - 1));
                if (!link && (mode & 06000) != 0) {
                    Native.posix().chmod(f.toString(), mode); // chown cleared set-user-ID and set-group-ID
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot shift the owners of " + top + ": " + e.getMessage(), e);
        }
    }
}
