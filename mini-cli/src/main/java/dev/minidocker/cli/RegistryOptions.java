package dev.minidocker.cli;

import dev.minidocker.container.registry.AuthFile;
import dev.minidocker.container.registry.RegistryClient;
import dev.minidocker.container.registry.RegistryReference;
import picocli.CommandLine.Option;

/** The flags every command that talks to a registry shares. */
final class RegistryOptions {
    @Option(names = "--tls-verify", arity = "1", paramLabel = "BOOL", defaultValue = "true",
            description = "Verify the registry's TLS certificate and refuse plain HTTP (default: true). With false, plain HTTP is tried after HTTPS; a registry on localhost or 127.0.0.1 may always use plain HTTP.")
    boolean tlsVerify = true;

    static AuthFile authFile() {
        return AuthFile.standard(System.getenv());
    }

    RegistryClient client(RegistryReference ref) {
        return new RegistryClient(ref, tlsVerify, authFile().get(ref.registry()));
    }
}
