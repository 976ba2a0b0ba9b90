package dev.minidocker.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.minidocker.container.build.Builder;
import dev.minidocker.container.image.ImageReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "build", mixinStandardHelpOptions = true,
        description = {"Build an image from a Dockerfile.",
                "Knows FROM (also scratch, and FROM IMAGE AS NAME stages), RUN, COPY (--from,",
                "--chown), ADD (local files; a local tar is unpacked), ENV, ARG, WORKDIR, USER,",
                "CMD, ENTRYPOINT, EXPOSE, LABEL, and the context's .dockerignore.",
                "Each RUN is a container; each step that changes files gives one layer;",
                "a step whose inputs did not change says CACHED."})
final class BuildCommand implements Callable<Integer> {
    @Option(names = {"-t", "--tag"}, paramLabel = "NAME[:TAG]", required = true, description = "Name the image. Repeatable.")
    List<String> tags = new ArrayList<>();

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "The Dockerfile (default: CONTEXT/Dockerfile).")
    Path file;

    @Option(names = "--build-arg", paramLabel = "KEY=VALUE", description = "A value for an ARG. Repeatable.")
    List<String> buildArgs = new ArrayList<>();

    @Option(names = "--no-cache", description = "Run every step again instead of reusing earlier results.")
    boolean noCache;

    @Option(names = "--target", paramLabel = "STAGE", description = "Build up to the stage named STAGE (FROM ... AS STAGE) and tag it.")
    String target;

    @Parameters(index = "0", paramLabel = "CONTEXT", description = "The directory COPY and ADD read from.")
    Path context;

    @Override
    public Integer call() {
        List<ImageReference> refs = new ArrayList<>();
        for (String t : tags) {
            if (!ImageReference.isValid(t)) {
                throw new Cli.CliError(Cli.RUNTIME_ERROR, "invalid tag \"" + t + "\": use NAME[:TAG] in lower case");
            }
            refs.add(ImageReference.parse(t));
        }
        Map<String, String> args = new LinkedHashMap<>();
        for (String kv : buildArgs) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new Cli.CliError(Cli.RUNTIME_ERROR, "bad --build-arg \"" + kv + "\": use KEY=VALUE");
            }
            args.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        Cli.requireRoot("mini build");
        Path dockerfile = file != null ? file : context.resolve("Dockerfile");
        new Builder(Cli.root(), System.out).build(new Builder.Request(context, dockerfile, refs, args, noCache, target));
        return 0;
    }
}
