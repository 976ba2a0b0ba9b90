package dev.minidocker.vmm.kvm;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the host's /dev/kvm is, from the module that provides it (/sys/module/NAME): hardware
 * virtualisation (kvm_intel, kvm_amd), the software emulation some cloud hosts give (kvm_pvm:
 * about two million guest instructions a second, far too slow to boot Linux), or none at all.
 */
public enum KvmKind {
    MISSING("missing"),
    EMULATED("emulated (kvm_pvm: software, about 2M instructions/s)"),
    HARDWARE_INTEL("hardware-backed (kvm_intel)"),
    HARDWARE_AMD("hardware-backed (kvm_amd)"),
    UNKNOWN("of unknown kind");

    private final String description;

    KvmKind(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Whether a Linux guest boots here in seconds (hardware-backed, or a KVM we cannot name: try it). */
    public boolean bootsLinux() {
        return this == HARDWARE_INTEL || this == HARDWARE_AMD || this == UNKNOWN;
    }

    public static KvmKind detect() {
        return detect(Path.of("/dev/kvm"), Path.of("/sys/module"));
    }

    static KvmKind detect(Path dev, Path modules) {
        if (!Files.exists(dev)) {
            return MISSING;
        }
        if (Files.exists(modules.resolve("kvm_pvm"))) {
            return EMULATED;
        }
        if (Files.exists(modules.resolve("kvm_intel"))) {
            return HARDWARE_INTEL;
        }
        if (Files.exists(modules.resolve("kvm_amd"))) {
            return HARDWARE_AMD;
        }
        return UNKNOWN;
    }
}
