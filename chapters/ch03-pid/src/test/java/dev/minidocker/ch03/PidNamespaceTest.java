package dev.minidocker.ch03;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.minidocker.container.engine.OneShot;
import dev.minidocker.container.testing.TestContainers;
import dev.minidocker.sys.Privileged;

class PidNamespaceTest {

    @Test
    void threadCannotStartThreadsAfterUnsharingPid() {
        Privileged.requireRoot();
        String r = PidDemo.startThreadAfterUnsharingPid();
        assertTrue(r.startsWith("cannot start a thread"), r);
    }

    @Test
    void shellSpawnedIntoNewPidNamespaceIsPid1ButSeesTheHostsProc() {
        Privileged.requireRoot();
        PidDemo.Seen seen = PidDemo.spawnShellWithoutInit();
        assertEquals("1", seen.pidOfShell());
        // the test JVM and Maven alone are more processes than a container would show
        assertTrue(seen.processesInProc() > 3, "processes listed: " + seen.processesInProc());
    }

    @Test
    void initStageGivesTheContainerItsOwnProc() {
        OneShot.Outcome r = TestContainers.run("sh", "-c", "ps -o pid,comm; true");
        List<String> lines = r.lines();
        assertEquals(3, lines.size(), r.stdout() + r.stderr());
        assertTrue(lines.get(1).trim().matches("1\\s+sh"), lines.get(1));
        assertTrue(lines.get(2).trim().endsWith("ps"), lines.get(2));
    }

    @Test
    void pid1IsTheUsersCommandNotTheJvm() {
        OneShot.Outcome r = TestContainers.run("cat", "/proc/1/comm");
        assertEquals("cat", r.stdout().trim());
    }
}
