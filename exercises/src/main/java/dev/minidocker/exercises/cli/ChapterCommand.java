package dev.minidocker.exercises.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.minidocker.exercises.Chapter;
import dev.minidocker.exercises.ChapterDemo;
import dev.minidocker.exercises.Chapters;
import dev.minidocker.exercises.Project;
import dev.minidocker.exercises.TeachingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/** {@code mini chapter N [--step]}: presenter mode, runs a chapter's narrated demo. */
@Command(name = "chapter",
        description = {"Run chapter N's narrated demo (most need root).",
                "--step pauses before each step and says what to look at.",
                "Colour on a terminal; none when NO_COLOR is set or the output is piped.",
                "Options after N go to that chapter's demo:",
                "  5:  --cgroup-driver v1|v2   use that cgroup driver instead of the detected one",
                "  10: --interactive           type to the guest's UART yourself",
                "  11: --lab                   boot Linux in the lab guest (hardware-style KVM)"})
public final class ChapterCommand implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;


    @Parameters(index = "0", arity = "0..1", paramLabel = "N", description = "Chapter number, e.g. 3.")
    Integer number;

    @Option(names = "--list", description = "List the chapters with their titles.")
    boolean list;

    @Option(names = "--step", description = "Pause before each step (for presenters).")
    boolean step;

    @Unmatched
    List<String> passThrough = new ArrayList<>();

    @Override
    public Integer call() {
        try {
            Project project = Project.locate();
            if (list || number == null) {
                for (Chapter c : Chapters.discover(project)) {
                    System.out.printf("%3d  %-16s %s%n", c.number(), c.id(), c.title());
                }
                if (!list) {
                    System.out.println("run one with: ./mini chapter N [--step]");
                }
                return 0;
            }
            Chapter c = Chapters.byNumber(project, number);
            List<String> args = new ArrayList<>(passThrough);
            if (step) {
                args.add(0, "--step");
            }
            Process p = ChapterDemo.command(project, c, args).inheritIO().start();
            return p.waitFor();
        } catch (TeachingException | IOException e) {
            System.err.println("mini: " + e.getMessage());
            return 125;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }
}
