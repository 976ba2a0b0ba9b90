package dev.minidocker.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.minidocker.container.registry.AuthFile;
import dev.minidocker.container.registry.RegistryClient;
import dev.minidocker.container.registry.RegistryReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "login", mixinStandardHelpOptions = true,
        description = {"Log in to a registry: check the user name and password with it, then store them (docker/podman auth.json format, readable by you only) in $REGISTRY_AUTH_FILE or ~/.config/containers/auth.json."})
final class LoginCommand implements Callable<Integer> {
    @Option(names = {"-u", "--username"}, paramLabel = "USER", description = "The user name (asked for when missing).")
    String user;

    @Option(names = "--password-stdin", description = "Read the password from standard input (one line).")
    boolean passwordStdin;

    @Mixin
    RegistryOptions registry;

    @Parameters(index = "0", paramLabel = "REGISTRY", defaultValue = "docker.io", description = "The registry host[:port] (default: ${DEFAULT-VALUE}).")
    String host;

    @Override
    public Integer call() throws IOException {
        String regName = registryName(host);
        Console console = System.console();
        String password;
        if (passwordStdin) {
            if (user == null) {
                throw new Cli.CliError(Cli.RUNTIME_ERROR, "--password-stdin needs --username (-u)");
            }
            String l = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            password = l == null ? "" : l.strip();
        } else {
            if (console == null) {
                throw new Cli.CliError(Cli.RUNTIME_ERROR, "no terminal to ask for the password: use -u USER --password-stdin");
            }
            if (user == null) {
                user = console.readLine("Username: ");
            }
            char[] pw = console.readPassword("Password: ");
            password = pw == null ? "" : new String(pw);
        }
        if (user == null || user.isEmpty() || password.isEmpty()) {
            throw new Cli.CliError(Cli.RUNTIME_ERROR, "login to " + regName + " needs a user name and a password");
        }
        AuthFile.Credentials c = new AuthFile.Credentials(user, password);
        RegistryReference ref = RegistryReference.parse(regName + "/login-check");
        new RegistryClient(ref, registry.tlsVerify, Optional.of(c)).checkLogin();
        AuthFile f = RegistryOptions.authFile();
        f.put(regName, c);
        System.out.println("Login Succeeded!");
        return 0;
    }

    /** "https://127.0.0.1:5000/" and "index.docker.io" become the names images use. */
    static String registryName(String text) {
        String h = text.strip().replaceFirst("^https?://", "").replaceFirst("/.*$", "");
        if (h.equals("index.docker.io") || h.equals("registry-1.docker.io") || h.isEmpty()) {
            return RegistryReference.DOCKER_HUB;
        }
        return h.toLowerCase(Locale.ROOT);
    }
}
