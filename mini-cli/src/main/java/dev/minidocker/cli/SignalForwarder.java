package dev.minidocker.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Timer;
import java.util.TimerTask;

import dev.minidocker.container.runtime.Container;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Passes the signals mini receives on to the container's PID 1, as {@code docker run} does.
 * A PID 1 ignores signals it has no handler for (pid_namespaces(7)), so: on SIGTERM the
 * container gets SIGKILL after the stop timeout; on a second Ctrl-C it gets SIGKILL at once.
 * Either way mini then cleans up normally.
 */
final class SignalForwarder {
    private static final int SIGKILL = 9;
    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();
    private final Timer timer = new Timer("stop-timeout", true);
    private int interrupts;

    private SignalForwarder() {
    }

    static SignalForwarder install(Container container, int stopTimeoutSeconds) {
        SignalForwarder f = new SignalForwarder();
        f.handle("INT", sig -> {
            f.interrupts++;
            if (f.interrupts == 1) {
                container.kill(sig.getNumber());
            } else {
                System.err.println("mini: killing the container (SIGKILL)");
                container.kill(SIGKILL);
            }
        });
        f.handle("TERM", sig -> {
            container.kill(sig.getNumber());
            f.timer.schedule(new TimerTask() {
                @Override
                public void run() {
                    container.kill(SIGKILL);
                }
            }, stopTimeoutSeconds * 1000L);
        });
        f.handle("HUP", sig -> container.kill(sig.getNumber()));
        f.handle("QUIT", sig -> container.kill(sig.getNumber()));
        f.handle("USR1", sig -> container.kill(sig.getNumber()));
        f.handle("USR2", sig -> container.kill(sig.getNumber()));
        return f;
    }

    private void handle(String name, SignalHandler handler) {
        try {
            Signal s = new Signal(name);
            previous.add(Signal.handle(s, handler));
            signals.add(s);
        } catch (IllegalArgumentException e) {
            // the JVM reserves this signal (e.g. QUIT for thread dumps with some flags): not forwarded
        }
    }

    void uninstall() {
        timer.cancel();
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
