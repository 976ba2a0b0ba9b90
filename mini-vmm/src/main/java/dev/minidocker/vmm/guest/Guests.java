package dev.minidocker.vmm.guest;

import java.util.List;
import java.util.stream.Collectors;

/** The guests bundled with mini-vmm, by name. */
public final class Guests {
    public static final String MAILBOX_MESSAGE = "hello, guest";
    public static final long DEFAULT_PORT_WRITES = 10_000;

    private Guests() {
    }

    public static List<Guest> all() {
        return all(DEFAULT_PORT_WRITES);
    }

    /** count: how many port writes the port-writes guest does. */
    public static List<Guest> all(long count) {
        return List.of(new HelloGuest(), new RegsGuest(), new MailboxGuest(MAILBOX_MESSAGE), new MmioGuest(),
                new TimerGuest(), new EchoGuest(), new TripleFaultGuest(), new PortWritesGuest(count));
    }

    public static Guest named(String name) {
        return named(name, DEFAULT_PORT_WRITES);
    }

    public static Guest named(String name, long count) {
        for (Guest g : all(count)) {
            if (g.name().equals(name)) {
                return g;
            }
        }
        throw new IllegalArgumentException("no guest named '" + name + "': try "
                + all().stream().map(Guest::name).collect(Collectors.joining(", ")));
    }
}
