package dev.minidocker.sys;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;

/**
 * The libc functions that jnr-posix does not bind, declared as jnr-ffi maps them.
 *
 * <p>Each method is the C prototype spelled in Java. Return values are raw: -1 means
 * "look at errno". Use {@link Syscalls} for checked versions that throw
 * {@link SyscallException}.
 */
// tag::libc[]
public interface LibC {
    @SaveError int unshare(int flags);                       // unshare(2)
    @SaveError int setns(int fd, int nstype);                // setns(2)
    @SaveError int mount(String source, String target,       // mount(2)
                         String filesystemtype, long mountflags, String data);
    @SaveError int umount2(String target, int flags);        // umount2(2)
    @SaveError int chroot(String path);                      // chroot(2)
    @SaveError int chdir(String path);                       // chdir(2)
    @SaveError int sethostname(String name, @size_t long len); // sethostname(2)
    @SaveError int mknod(String path, int mode, long dev);   // mknod(2)
    @SaveError int prctl(int option, long arg2, long arg3, long arg4, long arg5); // prctl(2)
    @SaveError int ioctl(int fd, long request, Pointer arg); // ioctl(2), pointer argument
    @SaveError int ioctl(int fd, long request, long arg);    // ioctl(2), integer argument
    @SaveError Pointer mmap(Pointer addr, @size_t long length, int prot, int flags, int fd, long offset);
    @SaveError int munmap(Pointer addr, @size_t long length);
    @SaveError int socket(int domain, int type, int protocol);                 // socket(2)
    @SaveError long sendto(int fd, byte[] buf, @size_t long len, int flags,    // sendto(2)
                           byte[] destAddr, int addrlen);
    @SaveError long recv(int fd, byte[] buf, @size_t long len, int flags);     // recv(2)
    @SaveError int setsockopt(int fd, int level, int optname, int[] optval, int optlen); // setsockopt(2)
    @SaveError int close(int fd);
    @SaveError int open(String path, int flags, int mode);   // open(2), e.g. /dev/kvm
    @SaveError int pipe2(int[] fds, int flags);
    @SaveError int fcntl(int fd, int cmd, int arg);          // fcntl(2)
    long signal(int signum, long handler);                   // signal(2), SIG_DFL is 0
    @SaveError int sigprocmask(int how, Pointer set, Pointer oldset); // sigprocmask(2)
    @SaveError long syscall(long number, String arg1, String arg2); // for pivot_root(2)
    @SaveError long syscall(long number, long arg1, long arg2, long arg3); // for close_range(2)
    @SaveError long syscall(long number, int dfd, String path, int flags); // for open_tree(2)
    @SaveError long syscall(long number, int dfd, String path, int flags, Pointer attr, long size); // for mount_setattr(2)
    @SaveError long syscall(long number, int fromDfd, String fromPath, int toDfd, String toPath, int flags); // for move_mount(2)
    int getpid();                                            // getpid(2)
    int geteuid();                                           // geteuid(2)
    @SaveError int kill(int pid, int sig);                   // kill(2)
    @SaveError int waitpid(int pid, int[] status, int options); // waitpid(2)
    @SaveError long read(int fd, byte[] buf, @size_t long count);  // read(2)
    @SaveError long write(int fd, byte[] buf, @size_t long count); // write(2)
    @SaveError int execve(String path, String[] argv, String[] envp); // execve(2); arrays end with NULL
    /** posix_spawnp(3): returns 0 or an errno value (it does not set errno). */
    int posix_spawnp(int[] pid, String file, Pointer fileActions, Pointer attributes, String[] argv, String[] envp);
    int posix_spawn_file_actions_init(Pointer fileActions);
    int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newfd);
    int posix_spawn_file_actions_addopen(Pointer fileActions, int fd, String path, int oflag, int mode);
    int posix_spawn_file_actions_destroy(Pointer fileActions);
    int posix_spawnattr_init(Pointer attributes);
    int posix_spawnattr_setflags(Pointer attributes, short flags);
    int posix_spawnattr_destroy(Pointer attributes);

    /** glibc 2.34+: in the child, close every descriptor from fd on (after the other actions). */
    int posix_spawn_file_actions_addclosefrom_np(Pointer fileActions, int fd);
    @SaveError int lsetxattr(String path, String name, byte[] value, @size_t long size, int flags); // lsetxattr(2)
    @SaveError long lgetxattr(String path, String name, byte[] value, @size_t long size); // lgetxattr(2)

    // the OCI lifecycle: sessions, terminals, the console socket, limits, identities
    @SaveError int setsid();                                 // setsid(2)
    int getppid();                                           // getppid(2)
    int isatty(int fd);                                      // isatty(3): 1 for a terminal
    @SaveError int dup2(int oldfd, int newfd);               // dup2(2)
    int umask(int mask);                                     // umask(2)
    @SaveError int setrlimit(int resource, long[] rlim);     // setrlimit(2): {rlim_cur, rlim_max}
    @SaveError int connect(int fd, Pointer addr, int addrlen); // connect(2)
    @SaveError long sendmsg(int fd, Pointer msg, int flags); // sendmsg(2)
    @SaveError long recvmsg(int fd, Pointer msg, int flags); // recvmsg(2)
    @SaveError int setgroups(@size_t long size, int[] list); // setgroups(2)
    @SaveError int setresgid(int rgid, int egid, int sgid);  // setresgid(2)
    @SaveError int setresuid(int ruid, int euid, int suid);  // setresuid(2)
    @SaveError int lchown(String path, int owner, int group); // lchown(2)
    @SaveError int mkfifo(String path, int mode);            // mkfifo(3)
    @SaveError int bind(int fd, byte[] addr, int addrlen);   // bind(2)
    @SaveError int listen(int fd, int backlog);              // listen(2)
    @SaveError int accept(int fd, Pointer addr, Pointer addrlen); // accept(2), addr may be NULL

    // capabilities and the filesystem a path is on: for the security of a container
    @SaveError int capget(Pointer header, Pointer data);     // capget(2): see CapabilityStructs
    @SaveError int capset(Pointer header, Pointer data);     // capset(2)
    @SaveError int statfs(String path, Pointer buf);         // statfs(2): see StatFs
}
// end::libc[]
