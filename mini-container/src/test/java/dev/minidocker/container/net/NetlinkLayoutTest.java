package dev.minidocker.container.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.minidocker.sys.Privileged;
import dev.minidocker.sys.Sockets;

/** The netlink structs and constants, byte for byte, against the kernel's headers. */
class NetlinkLayoutTest {

    @Test
    void structSizesAreTheKernels() {
        assertEquals(16, NlMsgHdr.SIZE);    // sizeof(struct nlmsghdr)
        assertEquals(16, IfInfoMsg.SIZE);   // sizeof(struct ifinfomsg)
        assertEquals(8, IfAddrMsg.SIZE);    // sizeof(struct ifaddrmsg)
        assertEquals(12, RtMsg.SIZE);       // sizeof(struct rtmsg)
        assertEquals(4, NetlinkMessage.RTA_HDRLEN);
        assertEquals(16, Netlink.RTM_NEWLINK);
        assertEquals(28, Netlink.IFLA_NET_NS_FD);
        assertEquals(18, Netlink.IFLA_LINKINFO);
    }

    @Test
    void anAttributeIsPaddedToFourBytesButItsLengthIsNot() {
        byte[] m = NetlinkMessage.of(Netlink.RTM_GETLINK, 0)
                .ifinfomsg(new IfInfoMsg(0, 0, 0, 0, 0))
                .attrString(Netlink.IFLA_IFNAME, "eth0")   // 4 + 5 bytes ("eth0\0") = 9, padded to 12
                .toBytes(Netlink.NLM_F_REQUEST, 7);
        ByteBuffer b = ByteBuffer.wrap(m).order(ByteOrder.nativeOrder());
        assertEquals(16 + 16 + 12, m.length);
        assertEquals(m.length, b.getInt(0));              // nlmsg_len
        assertEquals(Netlink.RTM_GETLINK, b.getShort(4));  // nlmsg_type
        assertEquals(Netlink.NLM_F_REQUEST, b.getShort(6));
        assertEquals(7, b.getInt(8));                      // nlmsg_seq
        assertEquals(9, b.getShort(32));                   // rta_len
        assertEquals(Netlink.IFLA_IFNAME, b.getShort(34));
        assertEquals('e', m[36]);
        assertEquals(0, m[40]);                            // the NUL, then padding
    }

    @Test
    void aVethRequestNestsThePeersIfinfomsgInsideLinkinfo() {
        byte[] m = NetlinkMessage.of(Netlink.RTM_NEWLINK, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL)
                .ifinfomsg(new IfInfoMsg(0, 0, 0, 0, 0))
                .attrString(Netlink.IFLA_IFNAME, "veth0")
                .beginNest(Netlink.IFLA_LINKINFO)
                    .attrString(Netlink.IFLA_INFO_KIND, "veth")
                    .beginNest(Netlink.IFLA_INFO_DATA)
                        .beginNest(Netlink.VETH_INFO_PEER)
                            .ifinfomsg(new IfInfoMsg(0, 0, 0, 0, 0))
                            .attrString(Netlink.IFLA_IFNAME, "peer0")
                        .endNest()
                    .endNest()
                .endNest()
                .toBytes(Netlink.NLM_F_REQUEST, 1);
        NetlinkReply r = NetlinkReply.split(m, m.length).get(0);
        Map<Integer, byte[]> top = r.attributes(IfInfoMsg.SIZE);
        assertEquals("veth0", NetlinkReply.string(top.get(Netlink.IFLA_IFNAME)));
        byte[] linkinfo = top.get(Netlink.IFLA_LINKINFO);
        // IFLA_INFO_KIND "veth\0" (4+5 -> 12) + IFLA_INFO_DATA { VETH_INFO_PEER { ifinfomsg 16 + "peer0\0" (4+6 -> 12) } }
        assertEquals(12 + 4 + 4 + 16 + 12, linkinfo.length);
        Map<Integer, byte[]> info = NetlinkReply.nested(linkinfo);
        assertEquals("veth", NetlinkReply.string(info.get(Netlink.IFLA_INFO_KIND)));
        byte[] peer = NetlinkReply.nested(info.get(Netlink.IFLA_INFO_DATA)).get(Netlink.VETH_INFO_PEER);
        assertEquals(16 + 12, peer.length);
        Map<Integer, byte[]> peerAttrs = NetlinkReply.attributes(ByteBuffer.wrap(peer).order(ByteOrder.nativeOrder()),
                IfInfoMsg.SIZE, peer.length);
        assertEquals("peer0", NetlinkReply.string(peerAttrs.get(Netlink.IFLA_IFNAME)));
    }

    @Test
    void structFieldsSitAtTheHeadersOffsets() {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        new IfInfoMsg(0, 0, 0x11223344, Netlink.IFF_UP, Netlink.IFF_UP).write(b, 0);
        assertEquals(0x11223344, b.getInt(4));   // ifi_index
        assertEquals(1, b.getInt(8));            // ifi_flags
        assertEquals(1, b.getInt(12));           // ifi_change
        b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        new RtMsg(Sockets.AF_INET, 24, 0, 0, Netlink.RT_TABLE_MAIN, Netlink.RTPROT_BOOT, 0, Netlink.RTN_UNICAST, 0).write(b, 0);
        assertEquals(2, b.get(0));
        assertEquals(24, b.get(1));
        assertEquals((byte) 254, b.get(4));
        assertEquals(3, b.get(5));
        assertEquals(1, b.get(7));
        b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        new IfAddrMsg(Sockets.AF_INET, 24, 0, 0, 5).write(b, 0);
        assertEquals(24, b.get(1));
        assertEquals(5, b.getInt(4));
        assertEquals(new IfAddrMsg(2, 24, 0, 0, 5), IfAddrMsg.read(b, 0));
    }

    @Test
    void anErrorAnswerCarriesMinusErrnoAndTheKernelsReason() {
        // struct nlmsgerr { int error; struct nlmsghdr msg; } then NLMSGERR_ATTR_MSG, as with NETLINK_CAP_ACK
        ByteBuffer b = ByteBuffer.allocate(16 + 4 + 16 + 12).order(ByteOrder.nativeOrder());
        new NlMsgHdr(b.capacity(), Netlink.NLMSG_ERROR, Netlink.NLM_F_CAPPED | Netlink.NLM_F_ACK_TLVS, 9, 0).write(b, 0);
        b.putInt(16, -17); // -EEXIST
        new NlMsgHdr(40, Netlink.RTM_NEWLINK, 0, 9, 0).write(b, 20);
        b.putShort(36, (short) 8);
        b.putShort(38, (short) Netlink.NLMSGERR_ATTR_MSG);
        b.put(40, new byte[] {'d', 'u', 'p', 0});
        NetlinkReply r = NetlinkReply.split(b.array(), b.capacity()).get(0);
        assertEquals(-17, r.error());
        assertEquals(9, r.errorSeq());
        assertEquals("dup", r.extendedAckMessage());
        new NlMsgHdr(b.capacity(), Netlink.NLMSG_ERROR, Netlink.NLM_F_CAPPED, 9, 0).write(b, 0);
        assertNull(NetlinkReply.split(b.array(), b.capacity()).get(0).extendedAckMessage());
    }

    /**
     * Every constant of {@link Netlink} and the struct sizes, compared with what a C compiler
     * reads in the kernel's UAPI headers.
     */
    @Test
    void everyConstantMatchesTheKernelHeaders(@TempDir Path dir) throws Exception {
        Privileged.require(Files.isExecutable(Path.of("/usr/bin/cc")) && Files.exists(Path.of("/usr/include/linux/rtnetlink.h")),
                "needs a C compiler and the kernel headers (gcc, libc6-dev)");
        Map<String, Long> expected = new HashMap<>();
        for (Class<?> c : List.of(Netlink.class, Sockets.class)) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class && Modifier.isPublic(f.getModifiers())) {
                    expected.put(f.getName(), (long) f.getInt(null));
                }
            }
        }
        expected.remove("SOCKADDR_NL_SIZE");
        StringBuilder src = new StringBuilder("""
                #include <stdio.h>
                #include <stddef.h>
                #include <fcntl.h>
                #include <sys/socket.h>
                #include <linux/netlink.h>
                #include <linux/rtnetlink.h>
                #include <linux/if_link.h>
                #include <linux/if_addr.h>
                #include <linux/veth.h>
                #include <linux/if.h>
                int main(void) {
                """);
        for (String name : expected.keySet()) {
            src.append("  printf(\"%s=%ld\\n\", \"").append(name).append("\", (long) ").append(name).append(");\n");
        }
        Map<String, Long> sizes = Map.of("sizeof(struct nlmsghdr)", (long) NlMsgHdr.SIZE,
                "sizeof(struct ifinfomsg)", (long) IfInfoMsg.SIZE, "sizeof(struct ifaddrmsg)", (long) IfAddrMsg.SIZE,
                "sizeof(struct rtmsg)", (long) RtMsg.SIZE, "sizeof(struct rtattr)", (long) NetlinkMessage.RTA_HDRLEN,
                "sizeof(struct sockaddr_nl)", (long) Sockets.SOCKADDR_NL_SIZE,
                "offsetof(struct ifinfomsg, ifi_change)", 12L, "offsetof(struct ifaddrmsg, ifa_index)", 4L,
                "offsetof(struct rtmsg, rtm_flags)", 8L, "offsetof(struct sockaddr_nl, nl_groups)", 8L);
        for (String expr : sizes.keySet()) {
            src.append("  printf(\"%s=%ld\\n\", \"").append(expr).append("\", (long) ").append(expr).append(");\n");
        }
        src.append("  return 0;\n}\n");
        Files.writeString(dir.resolve("h.c"), src);
        run(dir, "cc", "-o", dir.resolve("h").toString(), dir.resolve("h.c").toString());
        Map<String, Long> actual = new HashMap<>();
        for (String line : run(dir, dir.resolve("h").toString())) {
            int eq = line.lastIndexOf('=');
            actual.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
        }
        Map<String, Long> all = new HashMap<>(expected);
        all.putAll(sizes);
        assertEquals(all.size(), actual.size());
        for (var e : all.entrySet()) {
            assertEquals(e.getValue(), actual.get(e.getKey()), e.getKey());
        }
        assertTrue(actual.size() > 60, "checked " + actual.size());
    }

    private static List<String> run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        List<String> out = new ArrayList<>(new String(p.getInputStream().readAllBytes()).lines().toList());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join("\n", out));
        return out;
    }
}
