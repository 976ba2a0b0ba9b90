package dev.minidocker.container.cgroup;

/**
 * The resource limits of one container, in docker's terms. A {@code null} field means "no
 * limit"; every driver turns the fields into its own cgroup files.
 *
 * @param memoryBytes     {@code --memory}: the memory limit in bytes
 * @param memorySwapBytes {@code --memory-swap}: memory <em>plus</em> swap in bytes, {@code -1}
 *                        for unlimited swap; {@code null} with a memory limit means docker's
 *                        default, as much swap as memory
 * @param cpus            {@code --cpus}: how many CPUs' worth of time per period, e.g. 0.5
 * @param cpuWeight       {@code --cpu-weight}: relative share under contention, 1..10000 (v2
 *                        {@code cpu.weight}; the default is 100)
 * @param pids            {@code --pids}: most tasks (processes and threads) at once
 */
public record Limits(Long memoryBytes, Long memorySwapBytes, Double cpus, Integer cpuWeight, Integer pids) {
    /** Docker's smallest memory limit: below this the container cannot even start. */
    public static final long MIN_MEMORY = 6L * 1024 * 1024;

    public Limits {
        if (memoryBytes != null && memoryBytes < MIN_MEMORY) {
            throw new IllegalArgumentException("--memory " + memoryBytes + " is too small: the minimum is 6m");
        }
        if (memorySwapBytes != null) {
            if (memoryBytes == null) {
                throw new IllegalArgumentException("--memory-swap needs --memory as well (it is memory plus swap)");
            }
            if (memorySwapBytes != -1 && memorySwapBytes < memoryBytes) {
                throw new IllegalArgumentException("--memory-swap must be at least --memory (it is memory plus swap), or -1 for unlimited swap");
            }
        }
        if (cpus != null && (cpus < 0.01 || cpus.isNaN() || cpus.isInfinite())) {
            throw new IllegalArgumentException("--cpus " + cpus + " is out of range: use a number of CPUs of at least 0.01, e.g. 0.5");
        }
        if (cpuWeight != null && (cpuWeight < CpuWeight.MIN || cpuWeight > CpuWeight.MAX)) {
            throw new IllegalArgumentException("--cpu-weight " + cpuWeight + " is out of range: use 1..10000 (default 100)");
        }
        if (pids != null && pids < 1) {
            throw new IllegalArgumentException("--pids " + pids + " is out of range: use at least 1");
        }
    }

    /** No limits at all: the container still gets a cgroup, for stats and cleanup. */
    public static Limits none() {
        return new Limits(null, null, null, null, null);
    }

    /** From command-line text; any argument may be null. */
    public static Limits parse(String memory, String memorySwap, String cpus, Integer cpuWeight, Integer pids) {
        Long mem = memory == null ? null : ByteSize.parse(memory);
        Long swap = memorySwap == null ? null : memorySwap.trim().equals("-1") ? -1L : ByteSize.parse(memorySwap);
        Double c;
        try {
            c = cpus == null ? null : Double.valueOf(cpus);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid --cpus '" + cpus + "': use a number of CPUs, e.g. 0.5");
        }
        return new Limits(mem, swap, c, cpuWeight, pids);
    }

    public boolean isEmpty() {
        return memoryBytes == null && memorySwapBytes == null && cpus == null && cpuWeight == null && pids == null;
    }

    // tag::swap[]
    /**
     * Memory plus swap, as cgroup v1's {@code memory.memsw.limit_in_bytes} wants it: docker's
     * default is twice the memory (as much swap as memory); {@code -1} is unlimited.
     */
    public Long memoryPlusSwapBytes() {
        if (memoryBytes == null) {
            return null;
        }
        // exercise:begin ch05-cgroups-memory-swap "docker: no --memory-swap means as much swap as memory (twice --memory in all); -1 stays -1"
        return memorySwapBytes == null ? 2 * memoryBytes : memorySwapBytes;
        // exercise:end ch05-cgroups-memory-swap
    }

    /** Swap alone, as cgroup v2's {@code memory.swap.max} wants it; {@code -1} is unlimited. */
    public Long swapOnlyBytes() {
        Long total = memoryPlusSwapBytes();
        if (total == null) {
            return null;
        }
        return total == -1 ? -1 : total - memoryBytes;
    }
    // end::swap[]

    /** One line for humans, e.g. {@code memory 64 MiB, cpus 0.5, pids 32}. */
    public String describe() {
        if (isEmpty()) {
            return "no limits";
        }
        StringBuilder b = new StringBuilder();
        if (memoryBytes != null) {
            b.append(", memory ").append(ByteSize.format(memoryBytes));
            Long swap = swapOnlyBytes();
            b.append(" (swap ").append(swap == -1 ? "unlimited" : ByteSize.format(swap)).append(')');
        }
        if (cpus != null) {
            b.append(", cpus ").append(cpus);
        }
        if (cpuWeight != null) {
            b.append(", cpu weight ").append(cpuWeight);
        }
        if (pids != null) {
            b.append(", pids ").append(pids);
        }
        return b.substring(2);
    }
}
