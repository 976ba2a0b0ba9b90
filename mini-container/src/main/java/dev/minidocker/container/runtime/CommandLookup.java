package dev.minidocker.container.runtime;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the program to execute the way execvp(3) does, but inside the container's root and
 * with the container's PATH, so that "not found" (127) and "cannot execute" (126) can be told
 * apart before execve(2).
 */
public final class CommandLookup {
    private CommandLookup() {
    }

    /** The result: a path to execve, or the exit code and message of why not. */
    public record Result(String path, int errorCode, String error) {
        static Result found(String p) {
            return new Result(p, 0, null);
        }

        static Result failed(int code, String message) {
            return new Result(null, code, message);
        }

        public boolean ok() {
            return path != null;
        }
    }

    public static Result find(String command, String pathVariable) {
        if (command.isEmpty()) {
            return Result.failed(ExitStatus.NOT_FOUND, "no command given and the image has none");
        }
        if (command.contains("/")) {
            return check(Path.of(command), command);
        }
        String searchPath = pathVariable == null ? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" : pathVariable;
        Result firstProblem = null;
        for (String dir : searchPath.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, command);
            if (Files.exists(candidate)) {
                Result r = check(candidate, command);
                if (r.ok()) {
                    return r;
                }
                if (firstProblem == null) {
                    firstProblem = r;
                }
            }
        }
        if (firstProblem != null) {
            return firstProblem;
        }
        return Result.failed(ExitStatus.NOT_FOUND, "exec: \"" + command + "\": executable file not found in $PATH");
    }

    private static Result check(Path p, String command) {
        if (!Files.exists(p)) {
            return Result.failed(ExitStatus.NOT_FOUND, "exec: \"" + command + "\": no such file or directory");
        }
        if (Files.isDirectory(p)) {
            return Result.failed(ExitStatus.CANNOT_EXECUTE, "exec: \"" + command + "\": is a directory");
        }
        if (!Files.isExecutable(p)) {
            return Result.failed(ExitStatus.CANNOT_EXECUTE, "exec: \"" + command + "\": permission denied");
        }
        return Result.found(p.toString());
    }
}
