package dev.minidocker.cli;

/**
 * {@code --restart}: what the monitor's exit command does when the container ends. A container
 * stopped by {@code mini stop} or {@code mini kill} stays stopped, as docker's does.
 *
 * @param always       restart whatever the exit code
 * @param maxRetries   for on-failure: at most this many restarts (0: no bound)
 */
record RestartPolicy(boolean onFailure, boolean always, int maxRetries) {
    static RestartPolicy parse(String s) {
        if (s == null || s.equals("no")) {
            return new RestartPolicy(false, false, 0);
        }
        if (s.equals("always") || s.equals("unless-stopped")) {
            return new RestartPolicy(false, true, 0);
        }
        if (s.equals("on-failure") || s.startsWith("on-failure:")) {
            int n = 0;
            if (s.contains(":")) {
                String v = s.substring(s.indexOf(':') + 1);
                try {
                    n = Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    n = -1;
                }
                if (n < 0) {
                    throw new Cli.CliError(Cli.RUNTIME_ERROR, "invalid --restart " + s + ": the count must be a number, 0 or more");
                }
            }
            return new RestartPolicy(true, false, n);
        }
        throw new Cli.CliError(Cli.RUNTIME_ERROR, "invalid --restart " + s + ": use no, on-failure[:N] or always");
    }

    // tag::restart[]
    /** Whether a container that ended with exitCode, restarted so far restarts times, starts again. */
    boolean restarts(int exitCode, int restarts) {
        if (always) {
            return true;
        }
        return onFailure && exitCode != 0 && (maxRetries == 0 || restarts < maxRetries);
    }
    // end::restart[]
}
