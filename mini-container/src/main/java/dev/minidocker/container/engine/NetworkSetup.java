package dev.minidocker.container.engine;

import java.nio.file.Path;

import dev.minidocker.container.spec.ContainerSpec;

/**
 * The engine's network step around the runtime's lifecycle: {@link #prepare} runs after the
 * spec is built and before create (it may add a namespace path and mounts), {@link #created}
 * once the container's PID 1 exists, {@link #release} after delete.
 */
public interface NetworkSetup {
    /** Leaves the spec as it is: the container gets a new network namespace with only loopback. */
    NetworkSetup NONE = new NetworkSetup() {
        @Override
        public ContainerSpec prepare(String id, String name, Path bundle, ContainerSpec spec) {
            return spec;
        }

        @Override
        public void created(String id, int pid) {
        }

        @Override
        public void release(String id) {
        }
    };

    ContainerSpec prepare(String id, String name, Path bundle, ContainerSpec spec);

    void created(String id, int pid);

    void release(String id);
}
