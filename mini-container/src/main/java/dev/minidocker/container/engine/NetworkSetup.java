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

    /** A further change of the spec, made after another step's. */
    @FunctionalInterface
    interface SpecStep {
        ContainerSpec apply(String id, String name, Path bundle, ContainerSpec spec);
    }

    /** inner's step, then next on the spec it made; created and release are inner's. */
    static NetworkSetup then(NetworkSetup inner, SpecStep next) {
        return new NetworkSetup() {
            @Override
            public ContainerSpec prepare(String id, String name, Path bundle, ContainerSpec spec) {
                return next.apply(id, name, bundle, inner.prepare(id, name, bundle, spec));
            }

            @Override
            public void created(String id, int pid) {
                inner.created(id, pid);
            }

            @Override
            public void release(String id) {
                inner.release(id);
            }
        };
    }

    void created(String id, int pid);

    void release(String id);
}
