package dev.minidocker.exercises;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import dev.minidocker.exercises.grade.ChapterBuild;

/** Runs a chapter's narrated demo ({@code dev.minidocker.chNN.Main}) in its own JVM. */
public final class ChapterDemo {
    private ChapterDemo() {
    }

    public static ProcessBuilder command(Project project, Chapter chapter, List<String> args) {
        List<Path> cp = new ArrayList<>(ChapterBuild.classpath(project, chapter));
        cp.remove(chapter.testClasses());
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(cp.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        cmd.add(chapter.mainClass());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.root().toFile());
        pb.environment().put("MINI_PROJECT_ROOT", project.root().toString());
        return pb;
    }
}
