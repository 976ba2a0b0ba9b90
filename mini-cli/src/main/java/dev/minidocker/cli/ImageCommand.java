package dev.minidocker.cli;

import java.util.concurrent.Callable;

import dev.minidocker.container.image.ImageInspector;
import dev.minidocker.container.image.ImageStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "image", mixinStandardHelpOptions = true, description = "Look at images.",
        subcommands = {ImageCommand.Inspect.class, ImageHistoryCommand.class})
final class ImageCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Print an image's configuration (env, cmd, entrypoint, workdir, user) and layers.")
    static final class Inspect implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "IMAGE", description = "NAME[:TAG] or an image ID prefix.")
        String image;

        @Override
        public Integer call() {
            System.out.println(new ImageInspector(ImageStore.open(Cli.root())).inspect(image));
            return 0;
        }
    }
}
