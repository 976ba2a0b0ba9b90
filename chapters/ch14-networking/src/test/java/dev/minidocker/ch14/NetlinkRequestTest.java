package dev.minidocker.ch14;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.minidocker.container.net.Netlink;
import dev.minidocker.container.net.Rtnetlink;

/** The requests the chapter shows, read back byte by byte as the kernel reads them (no privileges needed). */
class NetlinkRequestTest {

    @Test
    void eachAttributeCountsItsOwnBytesAndIsPaddedToFour() {
        ByteBuffer b = ByteBuffer.wrap(MessageDump.bytes(Rtnetlink.newBridge("br14"))).order(ByteOrder.nativeOrder());
        assertEquals(60, b.getInt(0), "nlmsg_len: 16 (nlmsghdr) + 16 (ifinfomsg) + 12 (IFLA_IFNAME) + 16 (IFLA_LINKINFO)");
        assertEquals(Netlink.RTM_NEWLINK, b.getShort(4));
        assertEquals(Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_EXCL | Netlink.NLM_F_CREATE, b.getShort(6));
        assertEquals(9, b.getShort(32), "IFLA_IFNAME's rta_len: 4 + \"br14\" + NUL, without padding");
        assertEquals(Netlink.IFLA_IFNAME, b.getShort(34));
        assertEquals(0, b.get(41), "the padding after the name is zero");
        assertEquals(16, b.getShort(44), "IFLA_LINKINFO's rta_len covers the nested IFLA_INFO_KIND, padding included");
        assertEquals(Netlink.IFLA_LINKINFO, b.getShort(46));
        assertEquals(11, b.getShort(48), "IFLA_INFO_KIND: 4 + \"bridge\" + NUL");
        assertEquals(Netlink.IFLA_INFO_KIND, b.getShort(50));
    }

    @Test
    void theVethPeerIsAnIfinfomsgWithItsNameNestedThreeDeep() {
        List<String> lines = MessageDump.describe(Rtnetlink.newVethPair("veth14", "eth0"));
        assertEquals(List.of(
                "nlmsghdr { len 96, type RTM_NEWLINK, flags NLM_F_REQUEST|NLM_F_ACK|NLM_F_EXCL|NLM_F_CREATE, seq 1 }",
                "  ifinfomsg { family AF_UNSPEC, index 0, flags 0, change 0 }",
                "  rtattr { len 11, type IFLA_IFNAME (3) } \"veth14\" + NUL",
                "  rtattr { len 52, type IFLA_LINKINFO (18) } nested:",
                "    rtattr { len 9, type IFLA_INFO_KIND (1) } \"veth\" + NUL",
                "    rtattr { len 36, type IFLA_INFO_DATA (2) } nested:",
                "      rtattr { len 32, type VETH_INFO_PEER (1) } nested:",
                "        ifinfomsg { family AF_UNSPEC, index 0, flags 0, change 0 }",
                "        rtattr { len 9, type IFLA_IFNAME (3) } \"eth0\" + NUL"), lines);
    }
}
