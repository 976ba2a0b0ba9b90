package dev.minidocker.sys;

/** Constants for open(2), mmap(2) and madvise(2) on x86-64 Linux, spelled as in the man pages. */
public final class Mman {
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 01;
    public static final int O_RDWR = 02;
    public static final int O_DIRECTORY = 0200000;
    public static final int O_CLOEXEC = 02000000;

    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_NORESERVE = 0x4000;

    /** madvise(2): the pages may be merged with identical ones by KSM (kernel same-page merging). */
    public static final int MADV_MERGEABLE = 12;
    /** madvise(2): back the range with transparent huge pages where possible. */
    public static final int MADV_HUGEPAGE = 14;

    private Mman() {
    }
}
