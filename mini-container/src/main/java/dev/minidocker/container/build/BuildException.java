package dev.minidocker.container.build;

/** A build that cannot go on: names the Dockerfile line when one is at fault. */
public final class BuildException extends RuntimeException {
    public BuildException(String message) {
        super(message);
    }

    /** "Dockerfile:7: ..." as docker and podman point at the line. */
    static BuildException at(Dockerfile.Instruction i, String message) {
        return new BuildException(i.file() + ":" + i.line() + ": " + message);
    }
}
