package dev.minidocker.container.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.minidocker.container.fs.IdmappedLayers;
import dev.minidocker.container.ns.Namespace;
import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.sys.CloneFlags;
import dev.minidocker.sys.Mman;
import dev.minidocker.sys.Native;
import dev.minidocker.sys.Signals;
import dev.minidocker.sys.Spawn;
import dev.minidocker.sys.Syscalls;

/**
 * How the init stage gets into a new user namespace, when config.json asks for one
 * (linux.namespaces "user" without a path, with linux.uidMappings and gidMappings).
 *
 * <p>A JVM cannot do it: unshare(CLONE_NEWUSER) and setns(2) into a user namespace are refused to a
 * multi-threaded process, and a JVM always is. So small single-threaded programs from util-linux
 * do the steps a JVM may not, in runc's order:
 * <ol>
 * <li>a holder process unshares the user namespace ({@code unshare --user}, then it sleeps);</li>
 * <li>the runtime writes its /proc/PID/uid_map and gid_map from outside, as runc's parent does
 *     for {@code runc init} (only a process outside the namespace may map IDs it does not own);</li>
 * <li>the runtime's thread idmaps the image's layers with that namespace ({@link IdmappedLayers});</li>
 * <li>{@code nsenter --user} enters it as its root (uid 0 inside, the range's first ID outside), and
 *     {@code unshare} creates the container's other namespaces there, so that they belong to the new
 *     user namespace: its root may mount /proc and /sys, set the hostname, bind low ports;
 *     {@code --fork} makes the init stage PID 1 of the new PID namespace;</li>
 * <li>the holder is killed: the init stage now keeps the namespace alive.</li>
 * </ol>
 * Then the forking unshare is killed: the init stage is reparented to the runtime, which waits for it
 * as for any container (runc's intermediate process exits the same way).
 */
final class UserNamespaceStart {
    private final List<ContainerSpec.IdMapping> uidMappings;
    private final List<ContainerSpec.IdMapping> gidMappings;
    private final List<String> layers;

    private UserNamespaceStart(List<ContainerSpec.IdMapping> uid, List<ContainerSpec.IdMapping> gid, List<String> layers) {
        this.uidMappings = uid;
        this.gidMappings = gid;
        this.layers = layers;
    }

    /** Whether the spec asks for a new user namespace. */
    static boolean wanted(ContainerSpec spec) {
        return spec.linux() != null && spec.linux().namespaces() != null && spec.linux().namespaces().stream()
                .anyMatch(n -> n.type().equals("user") && (n.path() == null || n.path().isEmpty()));
    }

    /**
     * The plan for this spec, checked before anything is made: null without a new user namespace.
     * The init stage runs as the mapped root, to which host root's directories are "others": it must
     * reach the state directory (init.json, the exec FIFO) and the root.
     */
    static UserNamespaceStart of(ContainerSpec spec, Path stateDir, Path rootfs) {
        if (!wanted(spec)) {
            return null;
        }
        for (Path p : List.of(stateDir.resolve("init.json"), rootfs)) {
            for (Path d = p.getParent(); d != null; d = d.getParent()) {
                if (!searchableByOthers(d)) {
                    throw new ContainerException(ExitStatus.RUNTIME_ERROR, "a user namespace's root cannot reach " + p + ": "
                            + d + " is closed to others (chmod o+x " + d + ", or keep the store where others may pass)");
                }
            }
        }
        List<ContainerSpec.IdMapping> uid = spec.linux().uidMappings();
        List<ContainerSpec.IdMapping> gid = spec.linux().gidMappings();
        if (uid == null || uid.isEmpty() || gid == null || gid.isEmpty()) {
            throw new ContainerException(ExitStatus.RUNTIME_ERROR,
                    "a new user namespace needs linux.uidMappings and linux.gidMappings (none given)");
        }
        for (String tool : List.of("unshare", "nsenter", "setpriv")) {
            if (find(tool) == null) {
                throw new ContainerException(ExitStatus.RUNTIME_ERROR, "a user namespace needs util-linux's " + tool
                        + " (a JVM cannot enter one itself): apt-get install util-linux");
            }
        }
        List<String> layers = new ArrayList<>();
        for (ContainerSpec.Mount m : spec.mounts() == null ? List.<ContainerSpec.Mount>of() : spec.mounts()) {
            if (m.destination().equals("/") && "overlay".equals(m.type()) && m.options() != null) {
                for (String o : m.options()) {
                    layers.addAll(IdmappedLayers.lowerDirs(o));
                }
            }
        }
        return new UserNamespaceStart(uid, gid, layers);
    }

    /** A process holding a new user namespace whose maps the runtime has written. */
    final class Holder implements AutoCloseable {
        final int pid;
        final int usernsFd;

        private Holder(int pid, int usernsFd) {
            this.pid = pid;
            this.usernsFd = usernsFd;
        }

        String nsPath() {
            return "/proc/" + pid + "/ns/user";
        }

        /** The init stage is in the namespace now (or failed): the holder goes. */
        @Override
        public void close() {
            Syscalls.close(usernsFd);
            Native.libc().kill(pid, Signals.SIGKILL);
            Syscalls.waitpid(pid);
        }
    }

    // tag::holder[]
    /** Steps 1 and 2: a holder unshares the user namespace; the runtime writes its maps from outside. */
    Holder holder() {
        reaped = false;
        // it dies with the runtime's thread too (pdeathsig), should the runtime be killed meanwhile
        int pid = new Spawn(List.of("setpriv", "--pdeathsig", "KILL", "--", "unshare", "--user", "--", "sleep", "3600"),
                List.of("PATH=" + dev.minidocker.container.spec.SpecDefaults.PATH)).closeFrom(3).start();
        try {
            awaitNewUserNamespace(pid);
            writeMap(pid, "uid_map", uidMappings);
            writeMap(pid, "gid_map", gidMappings);
            return new Holder(pid, Syscalls.open("/proc/" + pid + "/ns/user", Mman.O_RDONLY | Mman.O_CLOEXEC));
        } catch (RuntimeException e) {
            if (!reaped) {
                Native.libc().kill(pid, Signals.SIGKILL);
                Syscalls.waitpid(pid);
            }
            throw e;
        }
    }
    // end::holder[]

    /** Step 3, on the runtime's thread: a mount namespace of its own with the layers idmapped. */
    void idmapLayers(Holder h) {
        if (layers.isEmpty()) {
            return;
        }
        Syscalls.unshare(CloneFlags.CLONE_NEWNS);
        dev.minidocker.container.fs.MountPropagation.makeAllPrivate(); // the host sees none of these mounts
        try {
            IdmappedLayers.mountOverThemselves(layers, h.usernsFd);
        } catch (dev.minidocker.sys.SyscallException e) {
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, "cannot idmap the image's layers for the user namespace: "
                    + e.getMessage() + " (idmapped mounts need Linux 5.12+ and a file system that has them: ext4, xfs, btrfs, tmpfs)");
        }
    }

    // tag::chain[]
    /**
     * Step 4: the command that enters the namespace as its root and creates the others (newFlags)
     * inside it. For a new PID namespace {@code unshare --fork} makes the init stage its child, PID 1
     * there; the runtime then kills that unshare (as runc's intermediate stage exits), and the init
     * stage becomes the runtime's own child: the runtime is a child subreaper (PR_SET_CHILD_SUBREAPER).
     */
    static List<String> enterAndCreate(Holder h, int newFlags, boolean dieWithParent, List<String> initCommand) {
        List<String> argv = new ArrayList<>(List.of("nsenter", "--user=" + h.nsPath(), "--")); // uid and gid 0 inside
        if (dieWithParent) {
            argv.addAll(List.of("setpriv", "--pdeathsig", "KILL", "--")); // after nsenter: a credential change clears it
        }
        List<String> create = new ArrayList<>();
        for (Namespace ns : Namespace.values()) {
            if (ns != Namespace.USER && ns != Namespace.CGROUP && (newFlags & ns.flag()) != 0) {
                create.add("--" + switch (ns) {
                    case MOUNT -> "mount";
                    case UTS -> "uts";
                    case IPC -> "ipc";
                    case NET -> "net";
                    case PID -> "pid";
                    default -> throw new IllegalStateException(ns.toString());
                });
            }
        }
        if (!create.isEmpty()) {
            argv.addAll(List.of("unshare", "--propagation", "unchanged"));
            argv.addAll(create);
            if (forks(newFlags)) {
                argv.add("--fork");
            }
            argv.add("--");
        }
        argv.addAll(initCommand);
        return argv;
    }
    // end::chain[]

    /** Whether the chain forks (unshare does, for a new PID namespace): then the init stage is the child of the chain's process. */
    static boolean forks(int newFlags) {
        return (newFlags & Namespace.PID.flag()) != 0;
    }

    /** The init stage: the child that the chain's unshare forks; its PID as the host sees it. */
    static int awaitChild(int shim) {
        Path children = Path.of("/proc", Integer.toString(shim), "task", Integer.toString(shim), "children");
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                String s = Files.readString(children).trim();
                if (!s.isEmpty()) {
                    return Integer.parseInt(s.split("\\s+")[0]);
                }
            } catch (IOException | NumberFormatException e) {
                // not yet, or gone: waitpid tells below
            }
            if (Syscalls.waitpidNoHang(shim) != -1) {
                throw new ContainerException(ExitStatus.RUNTIME_ERROR,
                        "entering the user namespace failed (nsenter or unshare exited: see its message above)");
            }
            sleepMillis(1);
        }
        throw new ContainerException(ExitStatus.RUNTIME_ERROR, "the init stage did not start in the user namespace within 20 s");
    }

    /** Whether awaitNewUserNamespace found the holder dead (and reaped it). */
    private boolean reaped;

    private void awaitNewUserNamespace(int pid) {
        String ours = link("/proc/thread-self/ns/user");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            String theirs = link("/proc/" + pid + "/ns/user");
            // unshare has run once the holder's namespace differs, and it then runs sleep
            if (theirs != null && !theirs.equals(ours) && comm(pid).equals("sleep")) {
                return;
            }
            if (Syscalls.waitpidNoHang(pid) != -1) {
                reaped = true;
                throw new ContainerException(ExitStatus.RUNTIME_ERROR,
                        "unshare --user failed: user namespaces may be off here (see mini doctor)");
            }
            sleepMillis(1);
        }
        throw new ContainerException(ExitStatus.RUNTIME_ERROR, "unshare --user did not make a user namespace within 10 s");
    }

    // tag::write-map[]
    /** /proc/PID/uid_map: one "inside outside count" line a range, written in one write(2), once. */
    private static void writeMap(int pid, String file, List<ContainerSpec.IdMapping> mappings) {
        StringBuilder text = new StringBuilder();
        for (ContainerSpec.IdMapping m : mappings) {
            text.append(m.containerID()).append(' ').append(m.hostID()).append(' ').append(m.size()).append('\n');
        }
        Path p = Path.of("/proc", Integer.toString(pid), file);
        try {
            Files.writeString(p, text);
        } catch (IOException e) {
            throw new ContainerException(ExitStatus.RUNTIME_ERROR, "cannot write " + p + " (" + text.toString().trim().replace('\n', ';')
                    + "): " + e.getMessage());
        }
    }
    // end::write-map[]

    private static boolean searchableByOthers(Path dir) {
        try {
            return Files.getPosixFilePermissions(dir).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
        } catch (IOException e) {
            return false;
        }
    }

    private static String link(String path) {
        try {
            return Files.readSymbolicLink(Path.of(path)).toString();
        } catch (IOException e) {
            return null;
        }
    }

    private static String comm(int pid) {
        try {
            return Files.readString(Path.of("/proc", Integer.toString(pid), "comm")).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static String find(String tool) {
        for (String dir : dev.minidocker.container.spec.SpecDefaults.PATH.split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return dir + "/" + tool;
            }
        }
        return null;
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
