package dev.minidocker.container.runtime;

import java.nio.file.Path;
import java.util.List;

import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.sys.Native;
import dev.minidocker.sys.Syscalls;

/**
 * process.user: the supplementary groups, then the group, then the user, in that order because
 * once the user is no longer root it may not change its groups (setgroups(2), setresuid(2)). glibc
 * applies each to every thread of the JVM, which is about to execve anyway.
 */
final class Identity {
    private Identity() {
    }

    // tag::become[]
    static void become(ContainerSpec.User user) {
        List<Long> groups = user.additionalGids() == null ? List.of() : user.additionalGids();
        int[] gids = groups.stream().mapToInt(Long::intValue).toArray();
        Syscalls.check("setgroups", Native.libc().setgroups(gids.length, gids), groups.toString());
        Syscalls.check("setresgid", Native.libc().setresgid((int) user.gid(), (int) user.gid(), (int) user.gid()), "gid " + user.gid());
        Syscalls.check("setresuid", Native.libc().setresuid((int) user.uid(), (int) user.uid(), (int) user.uid()), "uid " + user.uid());
        if (user.umask() != null) {
            Native.libc().umask(user.umask());
        }
    }
    // end::become[]

    static void chown(Path p, long uid, long gid) {
        Syscalls.check("lchown", Native.libc().lchown(p.toString(), (int) uid, (int) gid), p.toString());
    }
}
