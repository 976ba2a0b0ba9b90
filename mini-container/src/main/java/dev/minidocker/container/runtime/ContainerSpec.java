package dev.minidocker.container.runtime;

import java.util.List;

import dev.minidocker.container.ns.Namespace;

/**
 * Everything the init stage needs to build a container. Field names follow the OCI runtime
 * spec's config.json (process.args, process.env, process.cwd, root.path, hostname,
 * linux.namespaces) so that an OCI bundle maps onto it directly.
 *
 * @param id         the container's full ID (64 hex digits)
 * @param name       the name users give it, unique among containers
 * @param process    what to run
 * @param root       where its root filesystem comes from
 * @param hostname   the hostname inside its UTS namespace
 * @param namespaces the namespaces it gets
 * @param isolation  pivot_root or chroot
 */
public record ContainerSpec(
        String id,
        String name,
        ProcessSpec process,
        RootSpec root,
        String hostname,
        List<Namespace> namespaces,
        Isolation isolation) {

    /**
     * @param args the command and its arguments; args[0] is looked up in the container's PATH
     * @param env  KEY=VALUE strings
     * @param cwd  absolute working directory inside the container
     */
    public record ProcessSpec(List<String> args, List<String> env, String cwd) {
    }

    /**
     * @param path     the directory that becomes "/" (the overlay is mounted here)
     * @param layers   read-only image layers, lowest first; empty means path is a plain directory
     * @param upperDir overlay upper directory (the container's own changes)
     * @param workDir  overlay work directory (same filesystem as upperDir)
     */
    public record RootSpec(String path, List<String> layers, String upperDir, String workDir) {
    }
}
