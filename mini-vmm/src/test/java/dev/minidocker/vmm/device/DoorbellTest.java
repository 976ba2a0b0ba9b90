package dev.minidocker.vmm.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class DoorbellTest {
    @Test
    void aWaitingThreadGoesOnOnlyOnceTheGuestWrites() throws Exception {
        Doorbell bell = new Doorbell();
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(bell::await);
        Thread.sleep(50);
        assertTrue(!waiter.isDone(), "nothing rang yet");
        assertEquals(0, bell.read(0, 1));
        bell.write(0, 1, 1);
        assertTrue(waiter.get(5, TimeUnit.SECONDS));
        assertEquals(1, bell.read(0, 1));
    }
}
