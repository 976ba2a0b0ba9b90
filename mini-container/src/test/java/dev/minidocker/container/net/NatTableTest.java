package dev.minidocker.container.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.minidocker.sys.Nftables;
import dev.minidocker.sys.Privileged;

/** mini's table loaded into the kernel, through libnftables and through the nft program, in a namespace of its own. */
class NatTableTest {
    private Path dir;
    private NetNamespace ns;

    @BeforeEach
    void setUp() throws Exception {
        Privileged.requireRoot();
        dir = Files.createTempDirectory(Path.of("/run"), "mini-nft-test-");
        ns = NetNamespace.create(dir.resolve("ns"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (ns != null) {
            ns.remove();
        }
        if (dir != null) {
            Files.deleteIfExists(dir);
        }
    }

    private static String script() {
        Network n = new Network("bridge", "x", "bridge", "mini0", "10.66.0.0/24", "10.66.0.1", "");
        Lease web = new Lease("id1", "web", "bridge", "10.66.0.2", "vethid1", "/run/x", "/tmp/h",
                List.of(new PortMapping("0.0.0.0", 8080, 80, "tcp")), 1, 1);
        Map<Network, List<Lease>> inUse = new LinkedHashMap<>();
        inUse.put(n, List.of(web));
        return NatTable.render("mini", inUse);
    }

    @Test
    void theTableLoadsReplacesAndGoesInOneTransactionEach() {
        Privileged.require(Nftables.available(), "needs libnftables.so.1 (apt-get install nftables)");
        ns.call(() -> {
            NatTable.apply(script());
            NatTable.apply(script());                  // replacing it is the same script again
            String listed = Sh.out("nft", "list", "table", "ip", "mini");
            assertTrue(listed.contains("tcp dport 8080 dnat to 10.66.0.2:80"), listed);
            assertEquals(1, listed.split("dnat to", -1).length - 1, "one rule, not two: " + listed);
            NatTable.apply(NatTable.renderDelete("mini"));
            NatTable.apply(NatTable.renderDelete("mini")); // deleting what is gone is fine
            assertFalse(Sh.out("nft", "list", "ruleset").contains("mini"));
            return null;
        });
    }

    @Test
    void theNftProgramLoadsTheSameScript() {
        ns.call(() -> {
            NatTable.applyWithProgram(script());
            assertTrue(Sh.out("nft", "list", "table", "ip", "mini").contains("dnat to 10.66.0.2:80"));
            NatTable.applyWithProgram(NatTable.renderDelete("mini"));
            assertFalse(Sh.out("nft", "list", "ruleset").contains("mini"));
            return null;
        });
    }

    @Test
    void aRejectedScriptSaysWhyAndChangesNothing() {
        Privileged.require(Nftables.available(), "needs libnftables.so.1 (apt-get install nftables)");
        ns.call(() -> {
            String bad = NatTable.renderDelete("mini") + "table ip mini { chain c { tcp dport 99999 accept } }\n";
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> NatTable.apply(bad));
            assertTrue(e.getMessage().startsWith("nftables rejected the table: "), e.getMessage());
            assertFalse(Sh.out("nft", "list", "ruleset").contains("mini"), "a transaction is all or nothing");
            return null;
        });
    }
}
