package dev.minidocker.container.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.minidocker.container.spec.ContainerSpec;
import dev.minidocker.container.spec.SpecDefaults;

/** Without a devices controller to enforce the rules, CAP_MKNOD goes instead. */
class DeviceFallbackTest {
    private final ContainerSpec confined = SecurityOptions.defaults().applyTo(SpecDefaults.bundleSpec());

    @Test
    void unenforcedRulesCostCapMknodInEverySet() {
        assertTrue(DeviceFallback.restricts(confined));
        ContainerSpec.Capabilities c = DeviceFallback.apply(confined, false).process().capabilities();
        for (var set : new java.util.List<?>[] {c.bounding(), c.effective(), c.permitted()}) {
            assertFalse(set.contains("CAP_MKNOD"), set.toString());
            assertEquals(13, set.size(), set.toString());
        }
    }

    @Test
    void enforcedOrUnrestrictedSpecsStandAsWritten() {
        assertSame(confined, DeviceFallback.apply(confined, true));
        ContainerSpec privileged = new SecurityOptions(null, null, true, null, null, null).applyTo(SpecDefaults.bundleSpec());
        assertFalse(DeviceFallback.restricts(privileged));
        assertSame(privileged, DeviceFallback.apply(privileged, false));
    }
}
