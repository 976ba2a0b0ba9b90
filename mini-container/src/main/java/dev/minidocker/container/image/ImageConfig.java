package dev.minidocker.container.image;

import java.util.List;

/**
 * The part of an image's config that says how to run it (the OCI image config's {@code config}
 * object): environment, entrypoint, command, working directory and user.
 */
public record ImageConfig(List<String> env, List<String> entrypoint, List<String> cmd, String workingDir, String user) {
    public ImageConfig {
        env = env == null ? List.of() : List.copyOf(env);
        entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
        workingDir = workingDir == null ? "" : workingDir;
        user = user == null ? "" : user;
    }
}
