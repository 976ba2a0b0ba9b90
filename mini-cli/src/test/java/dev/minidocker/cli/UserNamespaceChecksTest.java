package dev.minidocker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.minidocker.cli.DoctorCommand.Check;
import dev.minidocker.cli.DoctorCommand.Level;
import dev.minidocker.cli.UserNamespaceChecks.User;

/** doctor's user namespace lines, given the files of other machines (Ubuntu's AppArmor sysctl, old Debian kernels). */
class UserNamespaceChecksTest {
    private static final User ROOT = new User("root", 0);
    private static final User ALICE = new User("alice", 1000);

    @Test
    void eachSysctlThatForbidsUnprivilegedNamespacesFailsWithItsFix() {
        Check max = UserNamespaceChecks.unprivileged("0\n", null, null, null);
        assertEquals(Level.FAIL, max.level());
        assertTrue(max.line().contains("(fix: sysctl -w user.max_user_namespaces=15000"), max.line());
        Check debian = UserNamespaceChecks.unprivileged("15000\n", "0\n", null, null);
        assertEquals(Level.FAIL, debian.level());
        assertTrue(debian.line().contains("sysctl -w kernel.unprivileged_userns_clone=1"), debian.line());
        Check ubuntu = UserNamespaceChecks.unprivileged("15000\n", "1\n", "1\n", null);
        assertEquals(Level.FAIL, ubuntu.level());
        assertTrue(ubuntu.line().contains("kernel.apparmor_restrict_unprivileged_userns=0"), ubuntu.line());
        Check blocked = UserNamespaceChecks.unprivileged("15000\n", null, null, "unshare: unshare failed: Operation not permitted");
        assertEquals(Level.FAIL, blocked.level(), "the sysctls allow it but the real try failed");
        Check ok = UserNamespaceChecks.unprivileged("15000\n", null, "0\n", null);
        assertEquals(Level.OK, ok.level());
        assertTrue(ok.line().contains("user.max_user_namespaces=15000"), ok.line());
    }

    @Test
    void theRealTryOnThisMachine() throws IOException {
        // PLATFORM: unprivileged user namespaces work here; the line says so only if nobody really made one
        dev.minidocker.sys.Privileged.requireRoot();
        int max = Integer.parseInt(Files.readString(Path.of("/proc/sys/user/max_user_namespaces")).trim());
        org.junit.jupiter.api.Assumptions.assumeTrue(max > 0, "user.max_user_namespaces is 0 on this machine");
        assertEquals(null, UserNamespaceChecks.tryAsUnprivileged());
    }

    @Test
    void rootSeesTheRangeOfUsernsPrivateAndAnOverlapWithAUsersRange() {
        Check fine = UserNamespaceChecks.subordinateIds(ROOT, "mini:300000:65536\n", "mini:300000:65536\n");
        assertEquals(Level.OK, fine.level());
        assertTrue(fine.line().contains("uids 300000-365535"), fine.line());
        Check overlap = UserNamespaceChecks.subordinateIds(ROOT, "alice:100000:65536\n", "alice:100000:65536\n");
        assertEquals(Level.WARN, overlap.level());
        assertTrue(overlap.line().contains("overlaps alice's range 100000-165535")
                && overlap.line().contains("echo mini:165536:65536 | tee -a /etc/subuid /etc/subgid"), overlap.line());
    }

    @Test
    void aUserWithoutARangeIsToldHowToGetOne() {
        Check none = UserNamespaceChecks.subordinateIds(ALICE, "bob:100000:65536\n", "");
        assertEquals(Level.WARN, none.level());
        assertTrue(none.line().contains("usermod --add-subuids 165536-231071 --add-subgids 165536-231071 alice"), none.line());
        assertEquals(Level.OK, UserNamespaceChecks.subordinateIds(ALICE, "alice:100000:65536\n", "alice:100000:65536\n").level());
    }

    @Test
    void newuidmapMustBeThereAndPrivileged(@TempDir Path dir) throws IOException {
        assertEquals(Level.WARN, UserNamespaceChecks.newuidmap(dir.resolve("newuidmap")).level());
        Path plain = dir.resolve("plain");
        Files.writeString(plain, "#!/bin/sh\n");
        plain.toFile().setExecutable(true);
        Check unprivileged = UserNamespaceChecks.newuidmap(plain);
        assertEquals(Level.WARN, unprivileged.level());
        assertTrue(unprivileged.line().contains("neither set-user-ID root nor has file capabilities"), unprivileged.line());
    }

    @Test
    void delegationOnAHybridHostAndADelegatedSubtree(@TempDir Path cgroupRoot) throws IOException {
        dev.minidocker.sys.Privileged.requireRoot(); // to give the fake subtree to uid 1000
        Check hybrid = UserNamespaceChecks.delegation(ALICE, false, "0::/\n", cgroupRoot);
        assertEquals(Level.WARN, hybrid.level());
        assertTrue(hybrid.line().contains("systemd.unified_cgroup_hierarchy=1"), hybrid.line());
        assertEquals(Level.OK, UserNamespaceChecks.delegation(ROOT, false, "", cgroupRoot).level());
        // a v2 tree where the user's own service directory is theirs: found, and said to be unused by mini
        Path service = Files.createDirectories(cgroupRoot.resolve("user.slice/user-1000.slice/user@1000.service/app.slice"));
        Files.writeString(service.getParent().resolve("cgroup.controllers"), "memory pids\n");
        dev.minidocker.sys.Native.libc().lchown(service.getParent().toString(), 1000, 1000);
        dev.minidocker.sys.Native.libc().lchown(service.toString(), 1000, 1000);
        Files.writeString(service.resolve("cgroup.controllers"), "memory pids\n");
        Check delegated = UserNamespaceChecks.delegation(ALICE, true,
                "0::/user.slice/user-1000.slice/user@1000.service/app.slice\n", cgroupRoot);
        assertTrue(delegated.line().contains("is delegated to alice (controllers: memory pids)"), delegated.line());
        Check notDelegated = UserNamespaceChecks.delegation(new User("bob", 1001), true, "0::/user.slice\n", cgroupRoot);
        assertTrue(notDelegated.line().contains("no cgroup v2 subtree is delegated to bob"), notDelegated.line());
    }
}
