package dev.minidocker.container.image;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Copies files as a build's COPY does: symbolic links as links, modes and modification times kept,
 * owners kept or set ({@code --chown}).
 */
public final class FileCopy {
    private FileCopy() {
    }

    /** Copies {@code source} (a file, link or directory tree) to {@code target}; uid/gid null keeps the source's. */
    public static void copy(Path source, Path target, Integer uid, Integer gid) throws IOException {
        if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(target);
            }
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(source)) {
                s.forEach(children::add);
            }
            for (Path c : children) {
                copy(c, target.resolve(c.getFileName().toString()), uid, gid);
            }
        } else if (Files.isSymbolicLink(source)) {
            Files.deleteIfExists(target);
            Files.createSymbolicLink(target, Files.readSymbolicLink(source));
        } else {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
        }
        attributes(source, target, uid, gid);
    }

    /** Owner, mode and modification time of {@code source} (or the given owner) onto {@code target}. */
    public static void attributes(Path source, Path target, Integer uid, Integer gid) throws IOException {
        Map<String, Object> a = Files.readAttributes(source, "unix:uid,gid,mode,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(target, "unix:uid", uid != null ? uid : a.get("uid"), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(target, "unix:gid", gid != null ? gid : a.get("gid"), LinkOption.NOFOLLOW_LINKS);
        if (!Files.isSymbolicLink(target)) {
            Files.setAttribute(target, "unix:mode", (Integer) a.get("mode") & 07777);
        }
        Files.getFileAttributeView(target, java.nio.file.attribute.BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes((FileTime) a.get("lastModifiedTime"), null, null);
    }
}
