package dev.minidocker.cli;

import java.util.concurrent.Callable;

import dev.minidocker.container.registry.AuthFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "logout", mixinStandardHelpOptions = true, description = "Forget the credentials stored for a registry.")
final class LogoutCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "REGISTRY", defaultValue = "docker.io", description = "The registry host[:port] (default: ${DEFAULT-VALUE}).")
    String host;

    @Override
    public Integer call() {
        String name = LoginCommand.registryName(host);
        AuthFile f = RegistryOptions.authFile();
        if (f.remove(name)) {
            System.out.println("Removed login credentials for " + name);
        } else {
            System.out.println("Not logged in to " + name);
        }
        return 0;
    }
}
