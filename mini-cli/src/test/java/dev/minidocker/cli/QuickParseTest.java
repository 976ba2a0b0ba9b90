package dev.minidocker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** The quick parser fills a command's fields exactly as picocli does, and hands every other line to picocli. */
class QuickParseTest {

    @Test
    void runLinesGiveTheFieldsPicocliGives() throws Exception {
        for (String line : List.of(
                "busybox true",
                "--rm --network none busybox true",
                "--rm --name n1 -e A=B -e C --env=D=E -w /tmp --hostname h busybox sh -c echo",
                "-d --restart on-failure:3 --log-opt max-size=1m -p 8080:80 -p 53:53/udp busybox httpd -f",
                "-m 64m --memory-swap 64m --cpus 0.5 --cpu-weight 10 --pids 20 --stats-on-exit busybox true",
                "--cap-add NET_ADMIN --cap-drop ALL --security-opt no-new-privileges -u 1000:1000 --read-only busybox id",
                "-v /tmp:/mnt:ro --mount type=tmpfs,target=/t --tmpfs /run --init --entrypoint= busybox sh",
                "--stop-timeout 3 --isolation chroot busybox ls -l --color",
                "busybox -- -x")) {
            List<String> args = new ArrayList<>(Arrays.asList(line.split(" ")));
            Object quick = QuickParse.parse(RunCommand.class, args, true);
            assertNotNull(quick, "the quick parser takes: " + line);
            RunCommand picocli = new RunCommand();
            CommandLine cli = new CommandLine(picocli);
            cli.setStopAtPositional(true);
            cli.parseArgs(args.toArray(String[]::new));
            assertSameFields(picocli, quick, line);
        }
    }

    @Test
    void otherCommandsToo() throws Exception {
        for (Object[] c : new Object[][] {{PsCommand.class, "-a"}, {PsCommand.class, ""}, {RmCommand.class, "-f a b"},
                {KillCommand.class, "-s TERM c1"}, {KillCommand.class, "c1 c2"}}) {
            @SuppressWarnings("unchecked")
            Class<? extends Callable<Integer>> type = (Class<? extends Callable<Integer>>) c[0];
            String line = (String) c[1];
            String[] args = line.isEmpty() ? new String[0] : line.split(" ");
            Object quick = QuickParse.parse(type, Arrays.asList(args), false);
            assertNotNull(quick, "the quick parser takes: " + type.getSimpleName() + " " + line);
            var k = type.getDeclaredConstructor();
            k.setAccessible(true);
            Object picocli = k.newInstance();
            new CommandLine(picocli).parseArgs(args);
            assertSameFields(picocli, quick, type.getSimpleName() + " " + line);
        }
    }

    @Test
    void runtimeLinesGiveTheFieldsPicocliGives() throws Exception {
        for (String line : List.of("--root /r create --bundle /b --pid-file /p id1", "--root /r --log /l --log-format json delete --force id1",
                "state id1", "start id1", "kill id1 TERM", "--root /r kill -a id1 9", "create -b /b --console-socket /s --preserve-fds 2 id2",
                "exec --pid-file /p -e A=B id1 sh -c true")) {
            List<String> args = Arrays.asList(line.split(" "));
            dev.minidocker.cli.runc.RuncMain quickMain = new dev.minidocker.cli.runc.RuncMain();
            Object quick = QuickParse.parseSubcommand(quickMain, args, java.util.Set.of("exec"));
            assertNotNull(quick, "the quick parser takes: " + line);
            dev.minidocker.cli.runc.RuncMain picocliMain = new dev.minidocker.cli.runc.RuncMain();
            CommandLine cli = new CommandLine(picocliMain);
            cli.getSubcommands().get("exec").setStopAtPositional(true);
            CommandLine.ParseResult parsed = cli.parseArgs(args.toArray(String[]::new));
            assertSameFields(picocliMain, quickMain, line);
            assertSameFields(parsed.subcommand().commandSpec().userObject(), quick, line);
        }
        assertNull(QuickParse.parseSubcommand(new dev.minidocker.cli.runc.RuncMain(), List.of("--help"), java.util.Set.of()));
        assertNull(QuickParse.parseSubcommand(new dev.minidocker.cli.runc.RuncMain(), List.of("create", "--help"), java.util.Set.of()));
        assertNull(QuickParse.parseSubcommand(new dev.minidocker.cli.runc.RuncMain(), List.of("nosuch", "id"), java.util.Set.of()));
    }

    @Test
    void helpErrorsAndUnusualLinesGoToPicocli() {
        for (String line : List.of("--help", "-h busybox", "-V", "--bogus busybox", "-dit busybox sh", "--name a --name b busybox",
                "--memory-swap -1 busybox", "--rm", "--rm=true busybox", "--stop-timeout x busybox", "--name")) {
            assertNull(QuickParse.parse(RunCommand.class, Arrays.asList(line.split(" ")), true), line);
        }
        assertNull(QuickParse.parse(NetworkCommand.class, List.of("ls"), false), "a command with subcommands");
        assertNull(QuickParse.parse(RmCommand.class, List.of(), false), "a missing argument");
    }

    @Test
    void badLinesStillGetPicocliMessages() {
        assertEquals(Cli.RUNTIME_ERROR, Main.execute("run", "--bogus", "busybox"));
        assertEquals(Cli.RUNTIME_ERROR, Main.execute("rm"));
    }

    /** Every field of the command and of its mixins holds the same value. */
    private static void assertSameFields(Object expected, Object actual, String line) throws IllegalAccessException {
        List<Field> fields = new ArrayList<>();
        for (Class<?> c = expected.getClass(); c != Object.class; c = c.getSuperclass()) {
            fields.addAll(Arrays.asList(c.getDeclaredFields()));
        }
        for (Field f : fields) {
            if (java.lang.reflect.Modifier.isStatic(f.getModifiers()) || f.isAnnotationPresent(CommandLine.Spec.class)) {
                continue; // picocli's own model: only picocli sets it
            }
            f.setAccessible(true);
            Object e = f.get(expected);
            Object a = f.get(actual);
            if (f.isAnnotationPresent(CommandLine.Mixin.class)) {
                assertSameFields(e, a, line);
            } else {
                assertEquals(e, a, f.getName() + " of: " + line);
            }
        }
    }
}
