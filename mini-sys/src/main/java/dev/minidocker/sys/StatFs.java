package dev.minidocker.sys;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * What statfs(2) says about the filesystem (and mount) a path is on: its type and the flags it
 * is mounted with. struct statfs on x86-64 (asm-generic/statfs.h with 64-bit longs) is 15 longs:
 * f_type, f_bsize, f_blocks, f_bfree, f_bavail, f_files, f_ffree, f_fsid, f_namelen, f_frsize,
 * f_flags, f_spare[4]. Only the two the runtime needs are read.
 *
 * @param type  f_type, a magic number such as PROC_SUPER_MAGIC
 * @param flags f_flags: the ST_* mount flags (ST_RDONLY, ST_NOSUID, ... have MS_*'s values)
 */
public record StatFs(long type, long flags) {
    public static final int SIZE = 120;
    public static final int F_TYPE = 0;
    public static final int F_FLAGS = 80;

    /** The flags a bind remount must repeat (mount(2): a remount sets all of them anew). */
    public static final long ST_RDONLY = 1, ST_NOSUID = 2, ST_NODEV = 4, ST_NOEXEC = 8, ST_SYNCHRONOUS = 16,
            ST_MANDLOCK = 64, ST_NOATIME = 1024, ST_NODIRATIME = 2048, ST_RELATIME = 4096;

    /** PROC_SUPER_MAGIC and TMPFS_MAGIC from linux/magic.h. */
    public static final long PROC_SUPER_MAGIC = 0x9fa0, TMPFS_MAGIC = 0x01021994;

    /**
     * The MS_* flags of mount(2) that say the same as f_flags. Most ST_* bits have the MS_*
     * value, but not ST_RELATIME (4096 is MS_BIND), so each is translated.
     */
    public long mountFlags() {
        long m = 0;
        if ((flags & ST_RDONLY) != 0) m |= MountFlags.MS_RDONLY;
        if ((flags & ST_NOSUID) != 0) m |= MountFlags.MS_NOSUID;
        if ((flags & ST_NODEV) != 0) m |= MountFlags.MS_NODEV;
        if ((flags & ST_NOEXEC) != 0) m |= MountFlags.MS_NOEXEC;
        if ((flags & ST_SYNCHRONOUS) != 0) m |= MountFlags.MS_SYNCHRONOUS;
        if ((flags & ST_NOATIME) != 0) m |= MountFlags.MS_NOATIME;
        if ((flags & ST_NODIRATIME) != 0) m |= MountFlags.MS_NODIRATIME;
        if ((flags & ST_RELATIME) != 0) m |= MountFlags.MS_RELATIME;
        return m;
    }

    public static StatFs of(String path) {
        Pointer buf = Memory.allocateDirect(Native.runtime(), SIZE, true);
        Syscalls.check("statfs", Native.libc().statfs(path, buf), path);
        return new StatFs(buf.getLong(F_TYPE), buf.getLong(F_FLAGS));
    }
}
