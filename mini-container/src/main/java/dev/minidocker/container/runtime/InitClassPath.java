package dev.minidocker.container.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The init stage's class path when it starts in a user namespace: there it runs as the mapped root
 * (the host's uid 100000, say), to which host root's files are "others". A jar under a directory
 * only root may enter (Maven's ~/.m2 of root is 0700) is copied once into a directory of the
 * runtime root that others may read; every other entry stays as it is.
 */
final class InitClassPath {
    private InitClassPath() {
    }

    static String readableByOthers(String classPath, Path cacheDir) {
        List<String> out = new ArrayList<>();
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath();
            out.add(reachable(p) || !Files.isRegularFile(p) ? entry : copy(p, cacheDir).toString());
        }
        return String.join(java.io.File.pathSeparator, out);
    }

    /** Whether others may search every directory up to p and read p itself. */
    static boolean reachable(Path p) {
        try {
            for (Path d = p.getParent(); d != null; d = d.getParent()) {
                if (!Files.getPosixFilePermissions(d).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return false;
                }
            }
            return !Files.exists(p) || Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException e) {
            return false;
        }
    }

    private static Path copy(Path jar, Path cacheDir) {
        try {
            Files.createDirectories(cacheDir);
            Files.setPosixFilePermissions(cacheDir, PosixFilePermissions.fromString("rwxr-xr-x"));
            // named by size and time too: a rebuilt jar of the same name is copied again
            Path target = cacheDir.resolve(Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis() + "-" + jar.getFileName());
            if (!Files.exists(target)) {
                Path tmp = Files.createTempFile(cacheDir, ".copy", ".jar");
                Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(tmp, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ));
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + jar + " where the container's root can read it: " + e.getMessage(), e);
        }
    }
}
