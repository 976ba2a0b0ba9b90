package dev.minidocker.cli;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;

import dev.minidocker.container.image.ImageSaver;
import dev.minidocker.container.image.ImageStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "save", mixinStandardHelpOptions = true,
        description = "Write images to a tar archive that 'docker load', 'podman load' and skopeo read (to standard output unless -o).")
final class SaveCommand implements Callable<Integer> {
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "docker-archive",
            description = "docker-archive (default) or oci-archive.")
    String format;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "NAME[:TAG] or an image ID prefix.")
    List<String> images;

    @Override
    public Integer call() throws IOException {
        ImageSaver.Format f = ImageSaver.Format.parse(format);
        ImageSaver saver = new ImageSaver(ImageStore.open(Cli.root()));
        if (output == null) {
            if (stdoutIsTerminal()) {
                throw new Cli.CliError(Cli.RUNTIME_ERROR, "refusing to write an archive to a terminal: use -o FILE or redirect the output");
            }
            OutputStream out = new BufferedOutputStream(new FileOutputStream(java.io.FileDescriptor.out), 1 << 16);
            saver.save(images, f, out);
            out.flush();
            return 0;
        }
        // written beside the target and renamed, so a failed save leaves no half archive
        Path target = output.toAbsolutePath();
        if (!Files.isDirectory(target.getParent())) {
            throw new Cli.CliError(Cli.RUNTIME_ERROR, "cannot write " + output + ": no directory " + target.getParent());
        }
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                saver.save(images, f, out);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return 0;
    }

    private static boolean stdoutIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return System.console() != null;
        }
    }
}
