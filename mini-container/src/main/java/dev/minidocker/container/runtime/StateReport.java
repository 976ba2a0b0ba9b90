package dev.minidocker.container.runtime;

import java.util.Map;

/**
 * The state of a container as the OCI runtime spec defines it (runtime.md "State"): what
 * {@code mini-runc state} prints and what every hook reads on its standard input.
 */
public record StateReport(String ociVersion, String id, Status status, int pid, String bundle,
                          Map<String, String> annotations) {
}
