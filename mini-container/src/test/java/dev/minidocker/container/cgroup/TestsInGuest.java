package dev.minidocker.container.cgroup;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Runs test classes in this JVM and exits 0 only if they all passed and none was skipped: the
 * lab guest runs it with the host's class path to test on a pure cgroup v2 host.
 */
public final class TestsInGuest {
    private TestsInGuest() {
    }

    public static void main(String[] classNames) throws ClassNotFoundException {
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
        for (String name : classNames) {
            request.selectors(selectClass(Class.forName(name)));
        }
        LauncherDiscoveryRequest built = request.build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(built, listener);
        TestExecutionSummary summary = listener.getSummary();
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        summary.printFailuresTo(out, 15);
        out.printf("guest tests: %d succeeded, %d failed, %d skipped%n", summary.getTestsSucceededCount(),
                summary.getTotalFailureCount(), summary.getTestsSkippedCount() + summary.getTestsAbortedCount());
        boolean ok = summary.getTotalFailureCount() == 0 && summary.getTestsSkippedCount() == 0
                && summary.getTestsAbortedCount() == 0 && summary.getTestsSucceededCount() > 0;
        System.exit(ok ? 0 : 1);
    }
}
