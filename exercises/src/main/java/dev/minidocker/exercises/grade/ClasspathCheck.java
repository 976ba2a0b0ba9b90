package dev.minidocker.exercises.grade;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import dev.minidocker.exercises.TeachingException;

/**
 * Before compiling: can this user read the chapter's class path? A checkout built as root keeps
 * class paths into root's Maven repository (/root/.m2), which another user cannot read; javac
 * would then say the learner's code "does not compile" for want of classes it cannot see.
 */
public final class ClasspathCheck {
    private ClasspathCheck() {
    }

    /** Fails with what is wrong and what to do, when an entry of {@code classpath} cannot be read. */
    public static void requireReadable(List<Path> classpath, String exerciseId) {
        firstUnreadable(classpath, Files::isReadable).ifPresent(p -> {
            throw new TeachingException(message(p, exerciseId, System.getProperty("user.name")));
        });
    }

    static Optional<Path> firstUnreadable(List<Path> classpath, Predicate<Path> readable) {
        return classpath.stream().filter(p -> !readable.test(p)).findFirst();
    }

    static String message(Path unreadable, String exerciseId, String user) {
        return "cannot read " + unreadable + ", which the chapter's class path names: the checkout was built by"
                + " another user (root?) and its class path points into a Maven repository that " + user
                + " cannot read. Check as the user who built it (sudo ./mini exercise check " + exerciseId
                + "), or take the checkout over and rebuild: sudo chown -R " + user + " . && ./mini exercise check "
                + exerciseId;
    }
}
