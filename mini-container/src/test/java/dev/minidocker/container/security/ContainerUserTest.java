package dev.minidocker.container.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.minidocker.container.spec.ContainerSpec;

/** -u/--user and --group-add, resolved in an image's /etc files (never the host's). */
class ContainerUserTest {
    @TempDir
    Path rootfs;

    @BeforeEach
    void etc() throws IOException {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), String.join("\n",
                "root:x:0:0:root:/root:/bin/sh",
                "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin",
                "# a comment",
                "broken line",
                "app:x:1000:1000:App:/home/app:/bin/sh",
                "nohome:x:1001:100::::", ""));
        Files.writeString(rootfs.resolve("etc/group"), String.join("\n",
                "root:x:0:",
                "users:x:100:app",
                "app:x:1000:",
                "audio:x:29:app,daemon",
                "wheel:x:10:root", ""));
    }

    @Test
    void noUserIsRootWithRootsGroups() {
        ContainerUser.Resolved r = ContainerUser.resolve(rootfs, null, null);
        assertEquals(0, r.uid());
        assertEquals(0, r.gid());
        assertEquals(List.of(10L), r.additionalGids()); // root is listed in wheel
        assertEquals("/root", r.home());
    }

    @Test
    void aNameTakesItsUidPrimaryGroupHomeAndGroupsThatListIt() {
        ContainerUser.Resolved r = ContainerUser.resolve(rootfs, "app", null);
        assertEquals(new ContainerUser.Resolved(1000, 1000, List.of(100L, 29L), "/home/app"), r);
        assertEquals(new ContainerSpec.User(1000, 1000, null, List.of(100L, 29L)), r.toSpec());
    }

    @Test
    void anExplicitGroupReplacesThePrimaryAndTheListedGroups() {
        assertEquals(new ContainerUser.Resolved(1000, 29, List.of(), "/home/app"), ContainerUser.resolve(rootfs, "app:audio", null));
        assertEquals(new ContainerUser.Resolved(1000, 4242, List.of(), "/home/app"), ContainerUser.resolve(rootfs, "app:4242", null));
    }

    @Test
    void numbersNeedNoEntry() {
        assertEquals(new ContainerUser.Resolved(1000, 1000, List.of(100L, 29L), "/home/app"), ContainerUser.resolve(rootfs, "1000", null));
        assertEquals(new ContainerUser.Resolved(4321, 0, List.of(), "/"), ContainerUser.resolve(rootfs, "4321", null));
        assertEquals(new ContainerUser.Resolved(4321, 55, List.of(), "/"), ContainerUser.resolve(rootfs, "4321:55", null));
        assertEquals(new ContainerUser.Resolved(1001, 100, List.of(), "/"), ContainerUser.resolve(rootfs, "nohome", null));
    }

    @Test
    void groupAddAddsByNameOrNumber() {
        assertEquals(List.of(29L, 10L, 777L),
                ContainerUser.resolve(rootfs, "4321", List.of("audio", "wheel", "777")).additionalGids());
    }

    @Test
    void unknownNamesAndBadForms() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ContainerUser.resolve(rootfs, "nobody", null));
        assertEquals("unable to find user nobody: no matching entries in passwd file", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ContainerUser.resolve(rootfs, "app:staff", null));
        assertEquals("unable to find group staff: no matching entries in group file", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ContainerUser.resolve(rootfs, "app:", null));
        assertThrows(IllegalArgumentException.class, () -> ContainerUser.resolve(rootfs, ":1", null));
        e = assertThrows(IllegalArgumentException.class, () -> ContainerUser.resolve(rootfs, "99999999999", null));
        assertTrue(e.getMessage().contains("0-2147483647"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ContainerUser.resolve(rootfs, "app", List.of("nogroup")));
    }

    @Test
    void aLinkToTheHostsPasswdIsFollowedInsideTheImage() throws IOException {
        Path hostFile = Files.createTempFile("host-passwd", "");
        try {
            Files.writeString(hostFile, "hostonly:x:4444:4444::/host:/bin/sh\n");
            Files.delete(rootfs.resolve("etc/passwd"));
            // an absolute link means the image's root: it leads to rootfs/<hostFile>, which is not there
            Files.createSymbolicLink(rootfs.resolve("etc/passwd"), hostFile);
            assertThrows(IllegalArgumentException.class, () -> ContainerUser.resolve(rootfs, "hostonly", null));
            Files.delete(rootfs.resolve("etc/passwd"));
            Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("../../../../../.." + hostFile));
            assertThrows(IllegalArgumentException.class, () -> ContainerUser.resolve(rootfs, "hostonly", null));
            // a link inside the image is fine
            Files.writeString(rootfs.resolve("etc/passwd.real"), "inside:x:5:5::/in:/bin/sh\n");
            Files.delete(rootfs.resolve("etc/passwd"));
            Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("/etc/passwd.real"));
            assertEquals(5, ContainerUser.resolve(rootfs, "inside", null).uid());
        } finally {
            Files.delete(hostFile);
        }
    }

    @Test
    void aPasswdThatIsNotARegularFileIsRefusedWithoutBlocking() throws Exception {
        Files.delete(rootfs.resolve("etc/passwd"));
        Process mkfifo = new ProcessBuilder("mkfifo", rootfs.resolve("etc/passwd").toString()).start();
        assertEquals(0, mkfifo.waitFor());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ContainerUser.resolve(rootfs, "app", null));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }

    @Test
    void anImageWithoutEtcFilesStillTakesNumbers() throws IOException {
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.delete(rootfs.resolve("etc/group"));
        assertEquals(new ContainerUser.Resolved(0, 0, List.of(), "/"), ContainerUser.resolve(rootfs, "", null));
        assertEquals(new ContainerUser.Resolved(7, 8, List.of(), "/"), ContainerUser.resolve(rootfs, "7:8", null));
    }
}
