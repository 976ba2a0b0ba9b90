package dev.minidocker.container.runtime;

import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.JsonParseException;

import dev.minidocker.container.spec.ContainerSpec;

/** Reads a bundle's config.json and refuses, in one line, what the runtime cannot run. */
final class SpecCheck {
    private SpecCheck() {
    }

    static ContainerSpec read(Path bundle) {
        Path file = bundle.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, "no config.json in bundle " + bundle
                    + ": write one (mini-runc spec makes a default)");
        }
        ContainerSpec spec;
        try {
            spec = SpecFile.read(file, ContainerSpec.class);
        } catch (JsonParseException e) {
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, "malformed " + file + ": " + e.getMessage());
        }
        if (spec == null) {
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, file + " is empty");
        }
        if (spec.ociVersion() == null || !spec.ociVersion().startsWith("1.")) {
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, file + ": ociVersion \"" + spec.ociVersion()
                    + "\" is not a 1.x runtime spec version");
        }
        if (spec.root() == null || spec.root().path() == null || spec.root().path().isEmpty()) {
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, file + ": root.path is missing");
        }
        if (spec.process() == null || spec.process().args() == null || spec.process().args().isEmpty()) {
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, file + ": process.args is missing or empty");
        }
        if (spec.process().cwd() == null || !spec.process().cwd().startsWith("/")) {
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, file + ": process.cwd must be an absolute path");
        }
        if (spec.linux() != null && spec.linux().namespaces() != null) {
            for (ContainerSpec.Namespace n : spec.linux().namespaces()) {
                try {
                    NamespaceJoin.of(n.type());
                } catch (IllegalArgumentException e) {
                    throw new ContainerException(ExitStatus.RUNTIME_ERROR, file + ": " + e.getMessage());
                }
            }
        }
        return spec;
    }
}
