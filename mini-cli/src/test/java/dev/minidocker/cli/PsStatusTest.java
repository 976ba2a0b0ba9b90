package dev.minidocker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.minidocker.container.runtime.ContainerState;

/** mini ps's STATUS column, worded as docker words it. */
class PsStatusTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private static ContainerState state(String status, Integer exit, String started, String finished) {
        return new ContainerState("a".repeat(64), "n", status, 1, "/b", "2026-12-01T11:00:00Z", "busybox", "sh", exit, 1, false)
                .withTimes(started, finished);
    }

    @Test
    void runningShowsForHowLong() {
        assertEquals("Up 5 seconds", PsCommand.status(state(ContainerState.RUNNING, null, "2026-12-01T11:59:55Z", null), NOW));
        assertEquals("Up About a minute", PsCommand.status(state(ContainerState.RUNNING, null, "2026-12-01T11:58:30Z", null), NOW));
        assertEquals("Up 3 hours", PsCommand.status(state(ContainerState.RUNNING, null, "2026-12-01T09:00:00Z", null), NOW));
    }

    @Test
    void exitedShowsTheCodeAndHowLongAgo() {
        assertEquals("Exited (3) 2 minutes ago",
                PsCommand.status(state(ContainerState.STOPPED, 3, "2026-12-01T11:50:00Z", "2026-12-01T11:58:00Z"), NOW));
        assertEquals("Exited (137) About an hour ago",
                PsCommand.status(state(ContainerState.STOPPED, 137, "2026-12-01T10:00:00Z", "2026-12-01T11:00:00Z"), NOW));
    }

    @Test
    void createdIsCreated() {
        assertEquals("Created", PsCommand.status(state(ContainerState.CREATED, null, null, null), NOW));
    }
}
