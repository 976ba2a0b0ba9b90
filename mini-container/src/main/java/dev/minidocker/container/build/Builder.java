package dev.minidocker.container.build;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import dev.minidocker.container.engine.ForegroundRun;
import dev.minidocker.container.engine.ImageUser;
import dev.minidocker.container.security.SecurityOptions;
import dev.minidocker.container.engine.RunRequest;
import dev.minidocker.container.image.BuildCache;
import dev.minidocker.container.image.Compression;
import dev.minidocker.container.image.DefaultImages;
import dev.minidocker.container.image.Digest;
import dev.minidocker.container.image.FileCopy;
import dev.minidocker.container.image.Image;
import dev.minidocker.container.image.ImageImport;
import dev.minidocker.container.image.ImageReference;
import dev.minidocker.container.image.ImageStore;
import dev.minidocker.container.image.LayerDiff;
import dev.minidocker.container.image.LayerTree;
import dev.minidocker.container.image.LayerUnpacker;
import dev.minidocker.container.image.UnpackLimits;
import dev.minidocker.container.cgroup.Limits;
import dev.minidocker.container.ns.Namespaces;
import dev.minidocker.container.runtime.ContainerException;
import dev.minidocker.container.runtime.Containers;
import dev.minidocker.container.runtime.Isolation;
import dev.minidocker.container.runtime.Stdio;
import dev.minidocker.container.spec.SpecDefaults;

/**
 * {@code mini build}: runs a Dockerfile's instructions in order, stage by stage. A RUN step is a
 * container of the stage's layers, run by the same runtime as {@code mini run}; a COPY or ADD step
 * fills a fresh directory; either way the step's layer is the tar of what changed
 * ({@link LayerDiff}). The other instructions change only the image's config.
 */
public final class Builder {
    /** What {@code mini build} was asked. */
    public record Request(Path context, Path dockerfile, List<ImageReference> tags, Map<String, String> buildArgs,
                          boolean noCache, String target) {
    }

    /** One stage's image as it grows: its layers (diff_ids, lowest first) and its full config JSON. */
    private static final class Stage {
        String name;
        final List<Digest> layers = new ArrayList<>();
        JsonObject config;
        Digest key;
        final Map<String, String> args = new LinkedHashMap<>();
        boolean cmdSet;
        String created;
    }

    private final ImageStore store;
    private final Path miniRoot;
    private final PrintStream out;
    private final BuildCache cache;
    private Path work;
    private boolean noCache;
    private Thread cleanup;
    private int scratchNames;

    public Builder(Path miniRoot, PrintStream out) {
        this.miniRoot = miniRoot;
        this.store = ImageStore.open(miniRoot);
        this.out = out;
        this.cache = store.buildCache();
    }

    /** Builds; the new image's id. */
    public Digest build(Request r) {
        if (!Files.isDirectory(r.context())) {
            throw new BuildException("the build context " + r.context() + " is not a directory");
        }
        if (!Files.isRegularFile(r.dockerfile())) {
            throw new BuildException("no Dockerfile at " + r.dockerfile() + ": write one there or name it with -f FILE");
        }
        String text;
        try {
            text = Files.readString(r.dockerfile());
        } catch (IOException e) {
            throw new BuildException("cannot read " + r.dockerfile() + ": " + e.getMessage());
        }
        if (!Files.isDirectory(r.context())) {
            throw new BuildException("the build context " + r.context() + " is not a directory");
        }
        noCache = r.noCache();
        List<Dockerfile.Instruction> all = Dockerfile.parse(r.dockerfile().getFileName().toString(), text);
        BuildContext context = BuildContext.open(r.context());
        // ARGs before the first FROM may be used in FROM lines only
        Map<String, String> globalArgs = new LinkedHashMap<>();
        int i = 0;
        while (i < all.size() && all.get(i).keyword().equals("ARG")) {
            declareArg(all.get(i), globalArgs, r.buildArgs());
            i++;
        }
        if (i == all.size()) {
            throw new BuildException(r.dockerfile().getFileName() + ": no FROM instruction: a Dockerfile starts with FROM IMAGE (or FROM scratch)");
        }
        if (!all.get(i).keyword().equals("FROM")) {
            throw BuildException.at(all.get(i), all.get(i).keyword() + " before the first FROM: start the Dockerfile with FROM");
        }
        List<Dockerfile.Instruction> steps = all.subList(i, all.size());
        if (r.target() != null && steps.stream().noneMatch(s -> s.keyword().equals("FROM") && stageName(s) != null
                && stageName(s).equalsIgnoreCase(r.target()))) {
            throw new BuildException("--target " + r.target() + ": no stage of that name (name one with FROM IMAGE AS NAME)");
        }
        try {
            work = Files.createDirectories(miniRoot.resolve("build")).resolve("build-" + Containers.newId().substring(0, 12));
            Files.createDirectory(work);
            Path scratch = work;
            cleanup = new Thread(() -> deleteQuietly(scratch), "mini-build-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup); // Ctrl-C: the build's scratch files go too
            List<Stage> stages = new ArrayList<>();
            Stage current = null;
            int n = 0;
            for (Dockerfile.Instruction step : steps) {
                if (step.keyword().equals("FROM") && current != null && r.target() != null
                        && r.target().equalsIgnoreCase(current.name)) {
                    break; // --target: the stages after it are not built
                }
                n++;
                out.println("STEP " + n + "/" + steps.size() + ": " + step.text());
                if (step.keyword().equals("FROM")) {
                    current = from(step, globalArgs, stages);
                    stages.add(current);
                    continue;
                }
                step(current, step, context, stages, r);
            }
            Stage last = current;
            if (r.target() != null) {
                last = stages.stream().filter(s -> r.target().equalsIgnoreCase(s.name)).findFirst().orElseThrow();
            }
            return commit(last, r.tags());
        } catch (IOException e) {
            throw new BuildException("build failed: " + e.getMessage());
        } finally {
            if (work != null) {
                deleteQuietly(work);
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanup);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs anyway
                }
            }
        }
    }

    private static String stageName(Dockerfile.Instruction from) {
        List<String> w = Dockerfile.words(from.args());
        return w.size() == 3 && w.get(1).equalsIgnoreCase("AS") ? w.get(2) : null;
    }

    private void declareArg(Dockerfile.Instruction i, Map<String, String> args, Map<String, String> given) {
        for (String w : Dockerfile.words(i.args())) {
            int eq = w.indexOf('=');
            String name = eq < 0 ? w : w.substring(0, eq);
            String value = given.containsKey(name) ? given.get(name) : eq < 0 ? null : Substitution.expand(w.substring(eq + 1), args);
            if (value != null) {
                args.put(name, value);
            }
        }
    }

    // ---- FROM -----------------------------------------------------------------------------------

    private Stage from(Dockerfile.Instruction i, Map<String, String> globalArgs, List<Stage> stages) throws IOException {
        List<String> w = Dockerfile.words(Substitution.expand(i.args(), globalArgs));
        if (!(w.size() == 1 || (w.size() == 3 && w.get(1).equalsIgnoreCase("AS")))) {
            throw BuildException.at(i, "FROM takes IMAGE or IMAGE AS NAME");
        }
        Stage s = new Stage();
        s.name = w.size() == 3 ? w.get(2) : null;
        s.args.putAll(globalArgs);
        String ref = w.get(0);
        Optional<Stage> earlier = stages.stream().filter(x -> ref.equalsIgnoreCase(x.name)).findFirst();
        if (ref.equals("scratch")) {
            s.config = scratchConfig();
            s.key = Digest.of("FROM scratch");
        } else if (earlier.isPresent()) {
            s.config = earlier.get().config.deepCopy();
            s.layers.addAll(earlier.get().layers);
            s.key = earlier.get().key;
        } else {
            Image image = store.find(ref).orElseGet(() -> {
                if (ref.equals("busybox") || ref.equals("busybox:latest")) {
                    return DefaultImages.ensureBusybox(store, out);
                }
                throw BuildException.at(i, "image \"" + ref + "\" not found: pull or load it first ('./mini pull " + ref + "')");
            });
            s.config = store.configJson(image).deepCopy();
            s.layers.addAll(store.diffIds(image));
            s.key = Digest.of("FROM " + image.id());
        }
        if (!s.config.has("config") || !s.config.get("config").isJsonObject()) {
            s.config.add("config", new JsonObject());
        }
        if (!s.config.has("history")) {
            s.config.add("history", new JsonArray());
        }
        return s;
    }

    private static JsonObject scratchConfig() {
        JsonObject c = new JsonObject();
        c.addProperty("architecture", "amd64");
        c.addProperty("os", "linux");
        c.add("config", new JsonObject());
        JsonObject rootfs = new JsonObject();
        rootfs.addProperty("type", "layers");
        rootfs.add("diff_ids", new JsonArray());
        c.add("rootfs", rootfs);
        c.add("history", new JsonArray());
        return c;
    }

    // ---- the other steps --------------------------------------------------------------------------

    private void step(Stage s, Dockerfile.Instruction i, BuildContext context, List<Stage> stages, Request r) throws IOException {
        JsonObject cfg = s.config.getAsJsonObject("config");
        Map<String, String> vars = variables(s);
        switch (i.keyword()) {
            case "ARG" -> {
                declareArg(i, s.args, r.buildArgs());
                metadata(s, i, "ARG " + s.args);
            }
            case "ENV" -> {
                Map<String, String> env = envMap(cfg);
                List<String> w = Dockerfile.words(i.args());
                if (w.size() >= 2 && !w.get(0).contains("=")) {
                    // ENV NAME VALUE...: the old form, one variable, the rest of the line its value
                    String name = w.get(0);
                    env.put(name, Substitution.expand(i.args().substring(i.args().indexOf(name) + name.length()).strip(), vars));
                } else {
                    for (String kv : w) {
                        int eq = kv.indexOf('=');
                        if (eq <= 0) {
                            throw BuildException.at(i, "ENV wants NAME=VALUE, got \"" + kv + "\"");
                        }
                        env.put(kv.substring(0, eq), Substitution.expand(kv.substring(eq + 1), variables(s, env)));
                    }
                }
                JsonArray a = new JsonArray();
                env.forEach((k, v) -> a.add(k + "=" + v));
                cfg.add("Env", a);
                metadata(s, i, i.text());
            }
            case "WORKDIR" -> {
                String dir = Substitution.expand(i.args(), vars);
                String wd = cfg.has("WorkingDir") ? cfg.get("WorkingDir").getAsString() : "";
                dir = dir.startsWith("/") ? dir : (wd.isEmpty() ? "/" : wd) + "/" + dir;
                String abs = Path.of(dir).normalize().toString();
                cfg.addProperty("WorkingDir", abs);
                if (new LayerTree(layerDirs(s)).find(abs.substring(1)).isEmpty()) {
                    fileStep(s, i, i.text(), Digest.of(abs), upper -> mkdirs(s, upper, abs.substring(1), null, null));
                } else {
                    metadata(s, i, i.text());
                }
            }
            case "USER" -> {
                cfg.addProperty("User", Substitution.expand(i.args(), vars));
                metadata(s, i, i.text());
            }
            case "CMD" -> {
                cfg.add("Cmd", command(i));
                s.cmdSet = true;
                metadata(s, i, i.text());
            }
            case "ENTRYPOINT" -> {
                cfg.add("Entrypoint", command(i));
                if (!s.cmdSet) {
                    cfg.remove("Cmd"); // docker: a new ENTRYPOINT drops the CMD inherited from the base image
                }
                metadata(s, i, i.text());
            }
            case "EXPOSE" -> {
                JsonObject ports = cfg.has("ExposedPorts") ? cfg.getAsJsonObject("ExposedPorts") : new JsonObject();
                for (String p : Dockerfile.words(Substitution.expand(i.args(), vars))) {
                    if (!p.matches("[0-9]+(-[0-9]+)?(/(tcp|udp|sctp))?")) {
                        throw BuildException.at(i, "EXPOSE wants PORT[/tcp|udp], got \"" + p + "\"");
                    }
                    ports.add(p.contains("/") ? p : p + "/tcp", new JsonObject());
                }
                cfg.add("ExposedPorts", ports);
                metadata(s, i, i.text());
            }
            case "LABEL" -> {
                JsonObject labels = cfg.has("Labels") && cfg.get("Labels").isJsonObject() ? cfg.getAsJsonObject("Labels") : new JsonObject();
                for (String kv : Dockerfile.words(i.args())) {
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw BuildException.at(i, "LABEL wants KEY=VALUE, got \"" + kv + "\"");
                    }
                    labels.addProperty(Substitution.expand(kv.substring(0, eq), vars), Substitution.expand(kv.substring(eq + 1), vars));
                }
                cfg.add("Labels", labels);
                metadata(s, i, i.text());
            }
            case "RUN" -> run(s, i);
            case "COPY", "ADD" -> copy(s, i, context, stages);
            default -> throw BuildException.at(i, i.keyword() + " is not allowed here");
        }
    }

    private static JsonArray command(Dockerfile.Instruction i) {
        JsonArray a = new JsonArray();
        if (i.json() != null) {
            i.json().forEach(a::add);
        } else {
            a.add("/bin/sh");
            a.add("-c");
            a.add(i.args());
        }
        return a;
    }

    private static Map<String, String> envMap(JsonObject cfg) {
        Map<String, String> env = new LinkedHashMap<>();
        if (cfg.has("Env") && cfg.get("Env").isJsonArray()) {
            for (JsonElement e : cfg.getAsJsonArray("Env")) {
                String kv = e.getAsString();
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    env.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
        }
        return env;
    }

    private static Map<String, String> variables(Stage s) {
        return variables(s, envMap(s.config.getAsJsonObject("config")));
    }

    /** What ${NAME} may name: the stage's ARGs, then its ENV (which wins, as in docker). */
    private static Map<String, String> variables(Stage s, Map<String, String> env) {
        Map<String, String> v = new LinkedHashMap<>(s.args);
        v.putAll(env);
        return v;
    }

    private List<Path> layerDirs(Stage s) {
        return s.layers.stream().map(store::layerPath).toList();
    }

    // ---- the cache ----------------------------------------------------------------------------------

    // tag::cache-key[]
    /** A step's cache key: its parent's key, the instruction, and a digest of what it reads (its sources). */
    public static Digest key(Digest parent, String instruction, Digest sources) {
        // exercise:begin ch15-cache-key "one digest (Digest.of) of all three: the parent's key, the instruction and the sources' digest (which may be null), each on its own line"
        return Digest.of(parent + "\n" + instruction + "\n" + (sources == null ? "" : sources.toString()));
        // exercise:end ch15-cache-key
    }
    // end::cache-key[]

    /** A step that changes only the config: remembered so that a rebuild says CACHED, with no layer. */
    private void metadata(Stage s, Dockerfile.Instruction i, String keyText) {
        s.key = key(s.key, keyText, null);
        Optional<BuildCache.Entry> hit = noCache ? Optional.empty() : cache.lookup(s.key);
        String created = hit.map(BuildCache.Entry::created).orElse(now());
        if (hit.isPresent()) {
            out.println("--> CACHED");
        } else {
            cache.record(s.key, created);
        }
        history(s, i, created, true);
    }

    private interface Fill {
        void into(Path upper) throws IOException;
    }

    /** A step that makes a layer from a directory {@code fill} writes (COPY, ADD, WORKDIR). */
    private void fileStep(Stage s, Dockerfile.Instruction i, String keyText, Digest sources, Fill fill) throws IOException {
        layerStep(s, i, keyText, sources, () -> {
            Path upper = Files.createDirectory(work.resolve("copy-" + (++scratchNames)));
            fill.into(upper);
            return upper;
        });
    }

    private interface Upper {
        Path make() throws IOException;
    }

    // tag::layer-step[]
    /** The step's layer from the cache, or made now from the directory of what it changed. */
    private void layerStep(Stage s, Dockerfile.Instruction i, String keyText, Digest sources, Upper upper) throws IOException {
        Digest key = key(s.key, keyText, sources);
        Optional<BuildCache.Entry> hit = noCache ? Optional.empty() : cache.lookup(key);
        Digest layer;
        String created;
        if (hit.isPresent() && hit.get().layerDigest().isPresent()) {
            layer = hit.get().layerDigest().get();
            created = hit.get().created();
            out.println("--> CACHED " + layer.shortHex());
        } else {
            Path dir = upper.make();
            Path tar = work.resolve("layer-" + (++scratchNames) + ".tar");
            try (OutputStream o = Files.newOutputStream(tar)) {
                LayerDiff.Result res = LayerDiff.write(dir, o, leaveOut(s, dir));
                for (String skipped : res.skipped()) {
                    out.println("    warning: " + skipped + " is a device, socket or fifo: left out of the layer");
                }
            }
            created = now();
            layer = cache.storeLayer(key, tar, created, out);
            out.println("--> " + layer.shortHex());
        }
        s.key = key;
        s.layers.add(layer);
        history(s, i, created, false);
    }
    // end::layer-step[]

    /** Mount points the runtime made in the container's root that the image below does not have: not content. */
    private Set<String> leaveOut(Stage s, Path upper) {
        Set<String> out = new HashSet<>();
        LayerTree below = new LayerTree(layerDirs(s));
        for (String p : List.of("proc", "sys", "dev", "etc/hosts", "etc/hostname", "etc/resolv.conf", "etc/mtab")) {
            if (below.find(p).isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }

    private void history(Stage s, Dockerfile.Instruction i, String created, boolean empty) {
        JsonObject h = new JsonObject();
        h.addProperty("created", created);
        h.addProperty("created_by", i.text());
        if (empty) {
            h.addProperty("empty_layer", true);
        }
        s.config.getAsJsonArray("history").add(h);
        if (s.created == null || created.compareTo(s.created) > 0) {
            s.created = created;
        }
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    // ---- RUN ------------------------------------------------------------------------------------------

    private void run(Stage s, Dockerfile.Instruction i) throws IOException {
        if (s.layers.isEmpty()) {
            throw BuildException.at(i, "RUN needs a shell and a file system: this stage is FROM scratch with nothing in it yet");
        }
        JsonObject cfg = s.config.getAsJsonObject("config");
        List<String> args = new ArrayList<>();
        command(i).forEach(e -> args.add(e.getAsString()));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", SpecDefaults.PATH);
        env.putAll(s.args); // build arguments are the step's environment, not the image's
        env.putAll(envMap(cfg));
        env.putIfAbsent("HOME", "/root");
        List<String> envList = new ArrayList<>();
        env.forEach((k, v) -> envList.add(k + "=" + v));
        String cwd = cfg.has("WorkingDir") && !cfg.get("WorkingDir").getAsString().isEmpty() ? cfg.get("WorkingDir").getAsString() : "/";
        String user = cfg.has("User") ? cfg.get("User").getAsString() : "";
        String keyText = i.text() + "\n" + envList + "\n" + user + "\n" + cwd;
        layerStep(s, i, keyText, null, () -> runContainer(s, i, args, envList, cwd, user));
    }

    // tag::run-step[]
    /** A RUN step is a container: the stage's layers below, a fresh upper directory that becomes the layer. */
    private Path runContainer(Stage s, Dockerfile.Instruction i, List<String> args, List<String> env, String cwd,
                              String user) throws IOException {
        List<Path> layers = layerDirs(s);
        RunRequest req;
        try {
            req = new RunRequest(null, "build step " + i.line(), layers, null, args, env, cwd, "buildkitsandbox",
                    EnumSet.copyOf(Namespaces.CONTAINER), Isolation.PIVOT_ROOT, Limits.none(), null, false, null,
                    // docker's defaults for a RUN step, as the stage's USER (resolved in its files by the init stage)
                    new SecurityOptions(null, null, false, null, user == null || user.isEmpty() ? null : user, null));
        } catch (IllegalArgumentException e) {
            throw BuildException.at(i, e.getMessage());
        }
        ForegroundRun run = ForegroundRun.create(miniRoot, req, Stdio.inherit());
        int code;
        try {
            run.start();
            code = run.await();
        } catch (ContainerException e) {
            run.container().kill(9);
            run.await();
            code = e.exitCode();
            out.println("mini: " + e.getMessage());
        }
        run.finish(code); // kept (not --rm): its upper directory is the step's layer
        Containers containers = new Containers(miniRoot);
        Path bundle = containers.bundle(run.state().id());
        Path upper = work.resolve("run-" + (++scratchNames));
        try {
            if (code != 0) {
                throw BuildException.at(i, "RUN " + String.join(" ", args) + ": exited with status " + code);
            }
            Files.move(bundle.resolve("upper"), upper);
        } finally {
            containers.remove(containers.find(run.state().id()).orElse(run.state()));
        }
        return upper;
    }
    // end::run-step[]

    // ---- COPY and ADD -----------------------------------------------------------------------------------

    private void copy(Stage s, Dockerfile.Instruction i, BuildContext context, List<Stage> stages) throws IOException {
        Map<String, String> vars = variables(s);
        List<String> w = i.json() != null ? new ArrayList<>(i.json()) : Dockerfile.words(i.args());
        w.replaceAll(x -> Substitution.expand(x, vars));
        for (String flag : i.flags().keySet()) {
            if (!flag.equals("chown") && !(flag.equals("from") && i.keyword().equals("COPY"))) {
                throw BuildException.at(i, i.keyword() + " --" + flag + " is not supported (mini build knows --chown"
                        + (i.keyword().equals("COPY") ? " and --from" : "") + ")");
            }
        }
        if (w.size() < 2) {
            throw BuildException.at(i, i.keyword() + " wants SOURCE... DEST");
        }
        String dest = w.get(w.size() - 1);
        List<String> sources = w.subList(0, w.size() - 1);
        String wd = s.config.getAsJsonObject("config").has("WorkingDir") ? s.config.getAsJsonObject("config").get("WorkingDir").getAsString() : "";
        boolean destIsDir = dest.endsWith("/") || sources.size() > 1;
        String destAbs = dest.startsWith("/") ? dest : (wd.isEmpty() ? "/" : wd) + "/" + dest;
        String destRel = Path.of(destAbs).normalize().toString().substring(1);
        LayerTree below = new LayerTree(layerDirs(s));
        if (!destRel.isEmpty() && below.find(destRel).map(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).orElse(false)) {
            destIsDir = true;
        }
        Integer[] owner = chown(i, s);
        String from = i.flags().get("from");
        if (from != null) {
            copyFrom(s, i, from, sources, destRel, destIsDir || destRel.isEmpty(), owner, stages);
            return;
        }
        List<BuildContext.Source> found = new ArrayList<>();
        for (String src : sources) {
            if (src.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
                throw BuildException.at(i, i.keyword() + " of a URL (" + src + ") is not supported: download it into the context");
            }
            List<BuildContext.Source> m = context.resolve(src);
            if (m.isEmpty()) {
                throw BuildException.at(i, i.keyword() + " " + src + ": no such file in the build context"
                        + (context.ignored(src) ? " (.dockerignore leaves it out)" : ""));
            }
            found.addAll(m);
        }
        if (found.size() > 1) {
            destIsDir = true;
        }
        boolean add = i.keyword().equals("ADD");
        Digest sourcesDigest = context.digest(found, add);
        boolean dir = destIsDir || destRel.isEmpty();
        fileStep(s, i, i.text(), sourcesDigest, upper -> {
            for (BuildContext.Source src : found) {
                boolean isDir = Files.isDirectory(src.path(), LinkOption.NOFOLLOW_LINKS);
                String target = isDir ? destRel : dir ? join(destRel, src.path().getFileName().toString()) : destRel;
                if (add && !isDir && isArchive(src.path())) {
                    mkdirs(s, upper, destRel, owner[0], owner[1]);
                    extract(src.path(), destRel.isEmpty() ? upper : upper.resolve(destRel), i);
                    continue;
                }
                mkdirs(s, upper, isDir ? target : parentOf(target), null, null);
                Path t = target.isEmpty() ? upper : upper.resolve(target);
                context.copy(src, t, owner[0] == null ? 0 : owner[0], owner[1] == null ? 0 : owner[1]);
            }
        });
    }

    private void copyFrom(Stage s, Dockerfile.Instruction i, String from, List<String> sources, String destRel,
                          boolean destIsDir, Integer[] owner, List<Stage> stages) throws IOException {
        Optional<Stage> stage = stages.stream().filter(x -> from.equalsIgnoreCase(x.name)).findFirst();
        if (stage.isEmpty() && from.matches("[0-9]+") && Integer.parseInt(from) < stages.size() - 1) {
            stage = Optional.of(stages.get(Integer.parseInt(from)));
        }
        List<Digest> layers;
        Digest fromKey;
        if (stage.isPresent()) {
            layers = stage.get().layers;
            fromKey = stage.get().key;
        } else {
            Image image = store.find(from).orElseThrow(() -> BuildException.at(i, "COPY --from=" + from
                    + ": no earlier stage and no image of that name"));
            layers = store.diffIds(image);
            fromKey = Digest.of(image.id());
        }
        LayerTree tree = new LayerTree(layers.stream().map(store::layerPath).toList());
        for (String src : sources) {
            String rel = Path.of("/" + src).normalize().toString().substring(1);
            if (tree.find(rel).isEmpty()) {
                throw BuildException.at(i, "COPY --from=" + from + " " + src + ": no such file in that stage");
            }
        }
        fileStep(s, i, i.text(), fromKey, upper -> {
            for (String src : sources) {
                String rel = Path.of("/" + src).normalize().toString().substring(1);
                Path p = tree.find(rel).orElseThrow();
                boolean isDir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                String target = isDir ? destRel : destIsDir || sources.size() > 1 ? join(destRel, Path.of(rel).getFileName().toString()) : destRel;
                mkdirs(s, upper, isDir ? target : parentOf(target), null, null);
                Path t = target.isEmpty() ? upper : upper.resolve(target);
                if (isDir) {
                    for (String child : tree.list(rel)) {
                        Path c = t.resolve(child);
                        tree.copy(join(rel, child), c);
                        if (owner[0] != null) {
                            chownTree(c, owner[0], owner[1]);
                        }
                    }
                } else {
                    tree.copy(rel, t);
                    if (owner[0] != null) {
                        chownTree(t, owner[0], owner[1]);
                    }
                }
            }
        });
    }

    private static void chownTree(Path p, int uid, int gid) throws IOException {
        try (var walk = Files.walk(p)) {
            for (Path x : walk.toList()) {
                Files.setAttribute(x, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(x, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
            }
        }
    }

    /** --chown=USER[:GROUP] as numbers, looked up in the stage's own /etc/passwd and /etc/group. */
    private Integer[] chown(Dockerfile.Instruction i, Stage s) {
        String c = i.flags().get("chown");
        if (c == null) {
            return new Integer[] {null, null};
        }
        try {
            var u = ImageUser.resolve(c, layerDirs(s));
            return new Integer[] {(int) u.uid(), (int) u.gid()};
        } catch (IllegalArgumentException e) {
            throw BuildException.at(i, "--chown=" + c + ": " + e.getMessage());
        }
    }

    /**
     * Creates {@code rel} and its parents in the step's directory; a directory the image below has keeps
     * its owner, mode and time there (the layer must not change them), a new one is root's, 0755.
     */
    private void mkdirs(Stage s, Path upper, String rel, Integer uid, Integer gid) throws IOException {
        if (rel.isEmpty()) {
            return;
        }
        LayerTree below = new LayerTree(layerDirs(s));
        String sofar = "";
        for (String part : rel.split("/")) {
            sofar = join(sofar, part);
            Path p = upper.resolve(sofar);
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Files.createDirectory(p);
            Optional<Path> existing = below.find(sofar).filter(x -> Files.isDirectory(x, LinkOption.NOFOLLOW_LINKS));
            if (existing.isPresent()) {
                FileCopy.attributes(existing.get(), p, null, null);
            } else {
                Files.setAttribute(p, "unix:mode", 0755);
                if (uid != null && sofar.equals(rel)) {
                    Files.setAttribute(p, "unix:uid", uid);
                    Files.setAttribute(p, "unix:gid", gid);
                }
            }
        }
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + "/" + b;
    }

    private static String parentOf(String rel) {
        int slash = rel.lastIndexOf('/');
        return slash < 0 ? "" : rel.substring(0, slash);
    }

    /** ADD unpacks a local tar, plain or compressed (gzip, bzip2, xz, zstd), as docker does. */
    private static boolean isArchive(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1024)) {
            Compression c = Compression.detect(in);
            if (c != Compression.NONE) {
                return true;
            }
            in.mark(512);
            byte[] header = in.readNBytes(512);
            return header.length == 512 && new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        }
    }

    private static void extract(Path archive, Path dir, Dockerfile.Instruction i) throws IOException {
        try (InputStream in = Compression.decompress(new BufferedInputStream(Files.newInputStream(archive), 1 << 16))) {
            LayerUnpacker.unpack(in, dir, LayerUnpacker.Whiteouts.APPLY, UnpackLimits.DEFAULT, w -> { });
        } catch (RuntimeException e) {
            throw BuildException.at(i, "ADD " + archive.getFileName() + ": " + e.getMessage());
        }
    }

    // ---- the image ------------------------------------------------------------------------------------

    private Digest commit(Stage s, List<ImageReference> tags) throws IOException {
        JsonObject config = s.config.deepCopy();
        JsonArray ids = new JsonArray();
        s.layers.forEach(d -> ids.add(d.toString()));
        config.getAsJsonObject("rootfs").add("diff_ids", ids);
        if (s.created != null) {
            config.addProperty("created", s.created); // the newest step's time: a cached rebuild is the same image
        }
        byte[] bytes = config.toString().getBytes(StandardCharsets.UTF_8);
        try (ImageImport imp = new ImageImport(store, out)) {
            List<ImageImport.Layer> layers = new ArrayList<>();
            for (Digest d : s.layers) {
                layers.add(imp.present(d));
            }
            Digest id = imp.addImage(bytes, layers, tags);
            imp.commit();
            out.println("COMMIT " + String.join(", ", tags.stream().map(ImageReference::toString).toList()));
            out.println("Successfully built " + id.shortHex());
            for (ImageReference t : tags) {
                out.println("Successfully tagged " + t);
            }
            return id;
        }
    }

    /** Where the build keeps what is in progress; removed when it ends. */
    private static void deleteQuietly(Path p) {
        try (var walk = Files.walk(p)) {
            for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort: what is left lies under ROOT/build, which nothing else reads
        }
    }
}
