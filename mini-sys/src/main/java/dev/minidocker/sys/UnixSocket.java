package dev.minidocker.sys;

import java.nio.charset.StandardCharsets;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * Passing a file descriptor to another process over a unix socket (unix(7), SCM_RIGHTS): how a
 * runtime hands a container's terminal to the engine's monitor (the OCI "console socket").
 * The structs are laid out by hand, as on x86-64 {@code <sys/socket.h>} and {@code <sys/un.h>}.
 */
public final class UnixSocket {
    public static final int AF_UNIX = 1;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_CLOEXEC = 02000000;
    public static final int SOL_SOCKET = 1;
    public static final int SCM_RIGHTS = 1;

    /** struct sockaddr_un: sa_family_t sun_family; char sun_path[108]. */
    public static final int SOCKADDR_UN_SIZE = 110;
    public static final int SUN_PATH_OFFSET = 2;
    /** struct msghdr: name, namelen (+4 padding), iov, iovlen, control, controllen, flags (+4). */
    public static final int MSGHDR_SIZE = 56;
    public static final int MSG_NAME = 0, MSG_NAMELEN = 8, MSG_IOV = 16, MSG_IOVLEN = 24, MSG_CONTROL = 32,
            MSG_CONTROLLEN = 40, MSG_FLAGS = 48;
    /** struct iovec: void *iov_base; size_t iov_len. */
    public static final int IOVEC_SIZE = 16;
    /** struct cmsghdr: size_t cmsg_len; int cmsg_level; int cmsg_type; then the data, 8-aligned. */
    public static final int CMSG_HDR_SIZE = 16;
    /** CMSG_LEN(sizeof(int)) and CMSG_SPACE(sizeof(int)). */
    public static final int CMSG_LEN_INT = CMSG_HDR_SIZE + 4;
    public static final int CMSG_SPACE_INT = CMSG_HDR_SIZE + 8;

    private UnixSocket() {
    }

    /** Connects a stream socket to the unix socket at path; returns it (close-on-exec). */
    public static int connect(String path) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        if (p.length >= SOCKADDR_UN_SIZE - SUN_PATH_OFFSET) {
            throw new SyscallException("connect", Errno.ENAMETOOLONG, path);
        }
        int fd = Syscalls.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        Pointer addr = Memory.allocateDirect(Native.runtime(), SOCKADDR_UN_SIZE, true);
        addr.putShort(0, (short) AF_UNIX);
        addr.put(SUN_PATH_OFFSET, p, 0, p.length);
        if (Native.libc().connect(fd, addr, SOCKADDR_UN_SIZE) != 0) {
            int errno = Native.lastErrno();
            Native.libc().close(fd);
            throw new SyscallException("connect", errno, path);
        }
        return fd;
    }

    /** A listening stream socket at path (an engine's console socket; the chapter's demo plays the engine). */
    public static int listen(String path) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        if (p.length >= SOCKADDR_UN_SIZE - SUN_PATH_OFFSET) {
            throw new SyscallException("bind", Errno.ENAMETOOLONG, path);
        }
        byte[] addr = new byte[SOCKADDR_UN_SIZE];
        addr[0] = (byte) AF_UNIX; // sun_family, little-endian
        System.arraycopy(p, 0, addr, SUN_PATH_OFFSET, p.length);
        int fd = Syscalls.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (Native.libc().bind(fd, addr, addr.length) != 0 || Native.libc().listen(fd, 4) != 0) {
            int errno = Native.lastErrno();
            Native.libc().close(fd);
            throw new SyscallException("bind/listen", errno, path);
        }
        return fd;
    }

    /** Waits for a connection on a listening socket; the connected socket. */
    public static int accept(int listening) {
        return (int) Syscalls.check("accept", Native.libc().accept(listening, null, null), "fd " + listening);
    }

    // tag::scm-rights[]
    /** Sends fdToSend over the connected socket, with name as the message's bytes (runc sends the pty's name). */
    public static void sendFd(int socket, int fdToSend, String name) {
        byte[] data = name.getBytes(StandardCharsets.UTF_8);
        Pointer buf = Memory.allocateDirect(Native.runtime(), Math.max(1, data.length), true);
        buf.put(0, data, 0, data.length);
        Pointer iov = Memory.allocateDirect(Native.runtime(), IOVEC_SIZE, true);
        iov.putAddress(0, buf.address());
        iov.putLong(8, data.length);
        Pointer control = Memory.allocateDirect(Native.runtime(), CMSG_SPACE_INT, true);
        // exercise:begin ch12-scm-rights "one struct cmsghdr in control: cmsg_len CMSG_LEN_INT (a long at 0), cmsg_level SOL_SOCKET (an int at 8), cmsg_type SCM_RIGHTS (an int at 12), then the descriptor itself at CMSG_HDR_SIZE"
        control.putLong(0, CMSG_LEN_INT);     // cmsg_len
        control.putInt(8, SOL_SOCKET);        // cmsg_level
        control.putInt(12, SCM_RIGHTS);       // cmsg_type: the data is descriptors
        control.putInt(CMSG_HDR_SIZE, fdToSend);
        // exercise:end ch12-scm-rights
        Pointer msg = Memory.allocateDirect(Native.runtime(), MSGHDR_SIZE, true);
        msg.putAddress(MSG_IOV, iov.address());
        msg.putLong(MSG_IOVLEN, 1);
        msg.putAddress(MSG_CONTROL, control.address());
        msg.putLong(MSG_CONTROLLEN, CMSG_SPACE_INT);
        Syscalls.check("sendmsg", Native.libc().sendmsg(socket, msg, 0), "SCM_RIGHTS fd " + fdToSend);
    }
    // end::scm-rights[]

    /** Receives one descriptor sent with SCM_RIGHTS (for tests and the chapter's demo); -1 if none came. */
    public static int receiveFd(int socket) {
        Pointer buf = Memory.allocateDirect(Native.runtime(), 4096, true);
        Pointer iov = Memory.allocateDirect(Native.runtime(), IOVEC_SIZE, true);
        iov.putAddress(0, buf.address());
        iov.putLong(8, 4096);
        Pointer control = Memory.allocateDirect(Native.runtime(), CMSG_SPACE_INT, true);
        Pointer msg = Memory.allocateDirect(Native.runtime(), MSGHDR_SIZE, true);
        msg.putAddress(MSG_IOV, iov.address());
        msg.putLong(MSG_IOVLEN, 1);
        msg.putAddress(MSG_CONTROL, control.address());
        msg.putLong(MSG_CONTROLLEN, CMSG_SPACE_INT);
        Syscalls.check("recvmsg", Native.libc().recvmsg(socket, msg, 0), "SCM_RIGHTS");
        if (msg.getLong(MSG_CONTROLLEN) < CMSG_LEN_INT || control.getInt(8) != SOL_SOCKET || control.getInt(12) != SCM_RIGHTS) {
            return -1;
        }
        return control.getInt(CMSG_HDR_SIZE);
    }
}
