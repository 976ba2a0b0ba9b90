package dev.minidocker.exercises.grade;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.minidocker.exercises.Chapter;
import dev.minidocker.exercises.Project;
import dev.minidocker.exercises.TeachingException;

/**
 * The built reference a chapter runs on: its classes, its test classes and its test classpath
 * (written by maven-dependency-plugin, see chapters/pom.xml). Builds the chapter with Maven when
 * they are missing, so a fresh checkout works too.
 */
public final class ChapterBuild {
    private ChapterBuild() {
    }

    /** True when the chapter's pom or a source of it is newer than {@code stamp}. */
    static boolean changedSince(Chapter chapter, Path stamp) {
        try (java.util.stream.Stream<Path> walk = Files.walk(chapter.dir())) {
            long built = Files.getLastModifiedTime(stamp).toMillis();
            return walk.filter(p -> !p.startsWith(chapter.dir().resolve("target")))
                    .filter(p -> p.toString().endsWith(".java") || p.getFileName().toString().equals("pom.xml"))
                    .anyMatch(p -> {
                        try {
                            return Files.getLastModifiedTime(p).toMillis() > built;
                        } catch (IOException e) {
                            return true;
                        }
                    });
        } catch (IOException e) {
            return true;
        }
    }

    /** The chapter's full test classpath: own test classes and classes first, then dependencies. */
    public static List<Path> classpath(Project project, Chapter chapter) {
        ensureBuilt(project, chapter);
        List<Path> cp = new ArrayList<>();
        cp.add(chapter.testClasses());
        cp.add(chapter.classes());
        try {
            String text = Files.readString(chapter.classpathFile()).trim();
            if (!text.isEmpty()) {
                for (String entry : text.split(File.pathSeparator)) {
                    cp.add(Path.of(entry));
                }
            }
        } catch (IOException e) {
            throw new TeachingException("cannot read " + project.relative(chapter.classpathFile()) + ": " + e.getMessage());
        }
        return cp;
    }

    static void ensureBuilt(Project project, Chapter chapter) {
        if (Files.isRegularFile(chapter.classpathFile()) && Files.isDirectory(chapter.classes())
                && (Files.isDirectory(chapter.testClasses()) || !Files.isDirectory(chapter.testSources()))
                && !changedSince(chapter, chapter.classpathFile())) {
            return;
        }
        String module = project.root().relativize(chapter.dir()).toString();
        System.err.println("building " + module + " and what it needs (first use, or its sources changed) ...");
        List<String> cmd = List.of("mvn", "-q", "-B", "-Dstyle.color=never", "-pl", module, "-am", "test-compile");
        try {
            Process p = new ProcessBuilder(cmd).directory(project.root().toFile()).inheritIO().start();
            if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new TeachingException("building " + module + " failed: run `" + String.join(" ", cmd)
                        + "` in " + project.root() + " to see why");
            }
        } catch (IOException e) {
            throw new TeachingException("cannot run Maven to build " + module + " (" + e.getMessage()
                    + "): install Maven or build with ./mini first");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TeachingException("interrupted while building " + module);
        }
        if (!Files.isRegularFile(chapter.classpathFile())) {
            throw new TeachingException(project.relative(chapter.classpathFile()) + " was not written: does "
                    + module + "/pom.xml have chapters/pom.xml as its parent?");
        }
    }
}
