package dev.minidocker.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.minidocker.container.engine.Lifecycle;
import dev.minidocker.container.engine.Monitor;
import dev.minidocker.container.runtime.ContainerState;
import dev.minidocker.container.runtime.SpecFile;
import dev.minidocker.container.spec.ContainerSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Print containers as JSON (a list, as docker inspect): state, config, mounts, pid, exit code, times.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "CONTAINER", description = "Name, ID or unique ID prefix.")
    List<String> containers;

    @Override
    public Integer call() {
        Lifecycle life = Engine.lifecycle();
        List<Object> out = new ArrayList<>();
        int code = 0;
        for (String ref : containers) {
            try {
                out.add(describe(life.find(ref)));
            } catch (RuntimeException e) {
                code = Cli.fail(e);
            }
        }
        System.out.println(SpecFile.toJson(out));
        return code;
    }

    // tag::inspect[]
    /** docker inspect's names for what the engine's record and the container's config.json hold. */
    static Map<String, Object> describe(ContainerState s) {
        Map<String, Object> state = new LinkedHashMap<>();
        boolean running = ContainerState.RUNNING.equals(s.status());
        state.put("Status", running ? "running" : ContainerState.STOPPED.equals(s.status()) ? "exited" : "created");
        state.put("Running", running);
        state.put("Pid", running ? s.pid() : 0);
        state.put("ExitCode", s.exitCode() == null ? 0 : s.exitCode());
        state.put("StartedAt", s.started() == null ? "0001-01-01T00:00:00Z" : s.started());
        state.put("FinishedAt", s.finished() == null ? "0001-01-01T00:00:00Z" : s.finished());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", s.id());
        m.put("Created", s.created());
        m.put("Name", "/" + s.name());
        m.put("State", state);
        m.put("Image", s.image());
        m.put("RestartCount", s.restarts());
        m.put("LogPath", s.detached() ? new Monitor.Layout(Path.of(s.bundle())).log().toString() : "");
        m.put("HostConfig", Map.of("AutoRemove", s.autoRemove()));
        Path config = Path.of(s.bundle()).resolve("config.json");
        List<Map<String, Object>> mounts = new ArrayList<>();
        if (Files.isRegularFile(config)) {
            ContainerSpec spec = SpecFile.read(config, ContainerSpec.class);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("Hostname", spec.hostname());
            c.put("Cmd", spec.process().args());
            c.put("Env", spec.process().env());
            c.put("WorkingDir", spec.process().cwd());
            m.put("Config", c);
            for (ContainerSpec.Mount mount : spec.mounts()) {
                if ("bind".equals(mount.type()) || (mount.options() != null && mount.options().contains("bind"))) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("Type", "bind");
                    e.put("Source", mount.source());
                    e.put("Destination", mount.destination());
                    e.put("RW", mount.options() == null || !mount.options().contains("ro"));
                    mounts.add(e);
                }
            }
        }
        m.put("Mounts", mounts);
        return m;
    }
    // end::inspect[]
}
