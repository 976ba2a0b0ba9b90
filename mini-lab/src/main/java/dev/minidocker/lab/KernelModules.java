package dev.minidocker.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The loadable modules of one kernel version ({@code /lib/modules/VERSION}): which exist as
 * files, which are built into the kernel ({@code modules.builtin}), and in which order a set of
 * them must be loaded with {@code insmod}, which (unlike modprobe) loads exactly one file and
 * fails if what it needs is not loaded yet.
 */
public final class KernelModules {
    /** What the guest needs for the host's root (virtio PCI, 9p) and for containers (overlay). */
    public static final List<String> REQUIRED = List.of("virtio_pci", "9pnet_virtio", "9p", "overlay");
    /** What gives the guest a hardware-style /dev/kvm on qemu's emulated AMD CPU (-cpu max has svm). */
    public static final List<String> KVM = List.of("kvm_amd");

    private static final List<String> SUFFIXES = List.of(".ko", ".ko.xz", ".ko.zst", ".ko.gz");

    /** One module file, already decompressed. */
    public record Module(String name, Path file, byte[] contents, List<String> depends) {
        /** The file name inside the initramfs, always uncompressed. */
        public String fileName() {
            return name + ".ko";
        }
    }

    private final Path directory;
    private final Map<String, Path> files = new HashMap<>();
    private final Set<String> builtin = new HashSet<>();
    private final Map<String, Module> loaded = new HashMap<>();

    /** Indexes {@code directory}, a {@code lib/modules/VERSION} tree. */
    public KernelModules(Path directory) {
        this.directory = directory;
        Path kernel = directory.resolve("kernel");
        if (!Files.isDirectory(kernel)) {
            throw new LabException("no kernel modules in " + directory);
        }
        try (Stream<Path> walk = Files.walk(kernel)) {
            walk.filter(Files::isRegularFile).forEach(file -> {
                String name = moduleName(file.getFileName().toString());
                if (name != null) {
                    files.putIfAbsent(name, file);
                }
            });
            Path builtinList = directory.resolve("modules.builtin");
            if (Files.isRegularFile(builtinList)) {
                for (String line : Files.readAllLines(builtinList)) {
                    String name = moduleName(Path.of(line.trim()).getFileName().toString());
                    if (name != null) {
                        builtin.add(name);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Module names are spelled with underscores by the kernel, files often with dashes. */
    public static String canonical(String name) {
        return name.replace('-', '_');
    }

    /** Whether the module is compiled into the kernel (so there is nothing to load). */
    public boolean isBuiltin(String name) {
        return builtin.contains(canonical(name));
    }

    /**
     * The modules to insmod, dependencies before the modules that need them, each once;
     * modules built into the kernel are left out.
     */
    public List<Module> loadOrder(List<String> wanted) {
        Set<String> order = new LinkedHashSet<>();
        for (String name : wanted) {
            visit(canonical(name), order, new HashSet<>());
        }
        List<Module> modules = new ArrayList<>();
        for (String name : order) {
            modules.add(loaded.get(name));
        }
        return modules;
    }

    private void visit(String name, Set<String> order, Set<String> path) {
        if (order.contains(name) || isBuiltin(name)) {
            return;
        }
        if (!path.add(name)) {
            throw new LabException("kernel modules depend on each other in a cycle at " + name);
        }
        Module module = module(name);
        for (String dependency : module.depends()) {
            visit(dependency, order, path);
        }
        path.remove(name);
        order.add(name);
    }

    private Module module(String name) {
        Module module = loaded.get(name);
        if (module == null) {
            Path file = files.get(name);
            if (file == null) {
                throw new LabException("kernel module " + name + " is neither a file under " + directory
                        + " nor built in; this kernel cannot run the lab");
            }
            byte[] contents = decompress(file);
            module = new Module(name, file, contents, ModuleInfo.parse(contents).depends());
            loaded.put(name, module);
        }
        return module;
    }

    /** Distributions ship modules as .ko, .ko.xz (Debian 13, Fedora) or .ko.zst (Ubuntu, Arch). */
    static byte[] decompress(Path file) {
        String fileName = file.getFileName().toString();
        try {
            if (fileName.endsWith(".ko")) {
                return Files.readAllBytes(file);
            }
            if (fileName.endsWith(".gz")) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                    return in.readAllBytes();
                }
            }
            if (fileName.endsWith(".xz")) {
                return Tools.output(List.of("xz", "-dc", file.toString()), "xz-utils");
            }
            if (fileName.endsWith(".zst")) {
                return Tools.output(List.of("zstd", "-dc", file.toString()), "zstd");
            }
        } catch (IOException e) {
            throw new LabException("cannot read kernel module " + file + ": " + e.getMessage(), e);
        }
        throw new LabException("unknown kernel module format: " + file);
    }

    private static String moduleName(String fileName) {
        for (String suffix : SUFFIXES) {
            if (fileName.endsWith(suffix)) {
                return canonical(fileName.substring(0, fileName.length() - suffix.length()));
            }
        }
        return null;
    }
}
