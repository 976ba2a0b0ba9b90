package dev.minidocker.sys;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * The new mount API's calls that an idmapped mount needs (mount_setattr(2), open_tree(2),
 * move_mount(2), Linux 5.12+): clone a directory's mount as a detached mount, give it an ID
 * mapping taken from a user namespace, attach it somewhere. glibc wraps none of them on Debian 12.
 */
public final class MountApi {
    static final long SYS_open_tree = 428;
    static final long SYS_move_mount = 429;
    static final long SYS_mount_setattr = 442;

    static final int AT_FDCWD = -100;
    static final int AT_EMPTY_PATH = 0x1000;
    /** open_tree(2): a detached copy of the mount, not the mount itself. */
    public static final int OPEN_TREE_CLONE = 1;
    public static final int OPEN_TREE_CLOEXEC = 02000000;
    /** move_mount(2): the source is the descriptor itself. */
    static final int MOVE_MOUNT_F_EMPTY_PATH = 0x00000004;
    /** mount_setattr(2): the mount maps IDs as the user namespace in userns_fd does. */
    public static final long MOUNT_ATTR_IDMAP = 0x00100000;
    /** sizeof(struct mount_attr): attr_set, attr_clr, propagation, userns_fd (four __u64). */
    static final int MOUNT_ATTR_SIZE_VER0 = 32;

    private MountApi() {
    }

    /** open_tree(2) with OPEN_TREE_CLONE: a descriptor for a detached copy of the mount at path. */
    public static int openTreeClone(String path) {
        return (int) Syscalls.check("open_tree", Native.libc().syscall(SYS_open_tree, AT_FDCWD, path,
                OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC), path);
    }

    // tag::idmap[]
    /** mount_setattr(2): the detached mount fd now shows IDs through the mapping of the user namespace usernsFd. */
    public static void setIdmap(int mountFd, int usernsFd, String what) {
        Pointer attr = Memory.allocateDirect(Native.runtime(), MOUNT_ATTR_SIZE_VER0);
        attr.putLong(0, MOUNT_ATTR_IDMAP);   // attr_set
        attr.putLong(8, 0);                  // attr_clr
        attr.putLong(16, 0);                 // propagation
        attr.putLong(24, usernsFd);          // userns_fd
        Syscalls.check("mount_setattr", Native.libc().syscall(SYS_mount_setattr, mountFd, "", AT_EMPTY_PATH,
                attr, MOUNT_ATTR_SIZE_VER0), what + " (MOUNT_ATTR_IDMAP)");
    }
    // end::idmap[]

    /** move_mount(2): attaches the detached mount mountFd at target. */
    public static void moveMount(int mountFd, String target) {
        Syscalls.check("move_mount", Native.libc().syscall(SYS_move_mount, mountFd, "", AT_FDCWD, target,
                MOVE_MOUNT_F_EMPTY_PATH), target);
    }
}
