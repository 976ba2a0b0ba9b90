package dev.minidocker.vmm.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Puts the terminal in character mode while a guest reads the keyboard: each key goes to the
 * guest's UART at once, and only the guest echoes it (as on a serial console). Ctrl-C still
 * stops the VMM. The previous settings come back on close.
 */
final class Terminal implements AutoCloseable {
    private final String saved;

    private Terminal(String saved) {
        this.saved = saved;
    }

    /** Character mode if stdin is a terminal, otherwise a no-op. */
    static Terminal characterMode() {
        if (System.console() == null) {
            return new Terminal(null);
        }
        try {
            String saved = stty("-g").trim();
            stty("-icanon", "-echo", "min", "1");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> restore(saved)));
            return new Terminal(saved);
        } catch (IOException | InterruptedException e) {
            return new Terminal(null);   // no stty: line mode still works
        }
    }

    private static String stty(String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectInput(new File("/dev/tty")).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("stty failed");
        }
        return out;
    }

    private static void restore(String saved) {
        try {
            stty(saved);
        } catch (IOException | InterruptedException e) {
            // the terminal stays as it is; 'stty sane' fixes it
        }
    }

    @Override
    public void close() {
        if (saved != null) {
            restore(saved);
        }
    }
}
