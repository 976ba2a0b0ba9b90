package dev.minidocker.lab;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The host programs the lab runs (qemu, apt-get, dpkg-deb, xz): found on PATH, run to
 * completion, and a failure turned into one line that names the Debian package to install.
 */
final class Tools {
    private Tools() {
    }

    /** The program's path on PATH, if any. */
    static Optional<Path> find(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The program's path, or a LabException saying which package provides it. */
    static Path require(String program, String debianPackage) {
        return find(program).orElseThrow(() -> new LabException(
                program + " not found; install it with: apt-get install " + debianPackage));
    }

    /** Runs the command in {@code dir} and returns its standard output; stderr is kept for the error line. */
    static byte[] output(List<String> command, String debianPackage, Path dir) {
        Path program = require(command.get(0), debianPackage);
        List<String> argv = new java.util.ArrayList<>(command);
        argv.set(0, program.toString());
        ProcessBuilder builder = new ProcessBuilder(argv);
        if (dir != null) {
            builder.directory(dir.toFile());
        }
        try {
            File errors = File.createTempFile("mini-lab-", ".err");
            try {
                builder.redirectError(errors);
                builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                Process process = builder.start();
                byte[] out;
                try (InputStream in = process.getInputStream()) {
                    out = in.readAllBytes();
                }
                int status = process.waitFor();
                if (status != 0) {
                    String message = lastLine(Files.readString(errors.toPath(), StandardCharsets.UTF_8));
                    throw new LabException(String.join(" ", command) + " failed (exit " + status + ")"
                            + (message.isEmpty() ? "" : ": " + message));
                }
                return out;
            } finally {
                Files.deleteIfExists(errors.toPath());
            }
        } catch (IOException e) {
            throw new LabException(command.get(0) + " could not be run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException(command.get(0) + " was interrupted", e);
        }
    }

    /** Runs the command with {@code input} on its standard input and returns its standard output. */
    static byte[] filter(List<String> command, String debianPackage, byte[] input) {
        Path program = require(command.get(0), debianPackage);
        List<String> argv = new java.util.ArrayList<>(command);
        argv.set(0, program.toString());
        try {
            Process process = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Thread feeder = new Thread(() -> {
                try (java.io.OutputStream in = process.getOutputStream()) {
                    in.write(input);
                } catch (IOException e) {
                    // the program stopped reading: its exit status says why
                }
            }, "mini-lab-feed-" + command.get(0));
            feeder.start();
            byte[] out;
            try (InputStream in = process.getInputStream()) {
                out = in.readAllBytes();
            }
            feeder.join();
            int status = process.waitFor();
            if (status != 0) {
                throw new LabException(String.join(" ", command) + " failed (exit " + status + ")");
            }
            return out;
        } catch (IOException e) {
            throw new LabException(command.get(0) + " could not be run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException(command.get(0) + " was interrupted", e);
        }
    }

    static byte[] output(List<String> command, String debianPackage) {
        return output(command, debianPackage, null);
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].strip();
            if (!line.isEmpty() && !line.startsWith("W: ")) {
                return line;
            }
        }
        return "";
    }
}
