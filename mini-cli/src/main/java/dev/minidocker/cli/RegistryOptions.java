package dev.minidocker.cli;

import dev.minidocker.container.registry.AuthFile;
import dev.minidocker.container.registry.RegistryClient;
import dev.minidocker.container.registry.RegistryReference;
import picocli.CommandLine.Option;

/** The flags every command that talks to a registry shares. */
final class RegistryOptions {
    @Option(names = "--tls-verify", arity = "1", paramLabel = "BOOL", defaultValue = "true",
            description = "Verify the registry's TLS certificate and refuse plain HTTP (localhost may always use HTTP). Default: true.")
    boolean tlsVerify = true;

    static AuthFile authFile() {
        return AuthFile.standard(System.getenv());
    }

    RegistryClient client(RegistryReference ref) {
        return new RegistryClient(ref, tlsVerify, authFile().get(ref.registry()));
    }
}
