package dev.minidocker.exercises.grade;

/**
 * One test's result.
 *
 * @param status    PASS, FAIL or SKIP
 * @param testClass simple name of the test class
 * @param test      the test's name in plain words
 * @param message   why it failed or was skipped, one line ("" when it passed)
 */
public record TestOutcome(String status, String testClass, String test, String message) {

    public boolean passed() {
        return status.equals("PASS");
    }

    public boolean failed() {
        return status.equals("FAIL");
    }

    public boolean skipped() {
        return status.equals("SKIP");
    }

    String toLine() {
        return String.join("\t", status, testClass, test, message.replace('\t', ' ').replace('\n', ' '));
    }

    static TestOutcome fromLine(String line) {
        String[] f = line.split("\t", 4);
        return new TestOutcome(f[0], f[1], f[2], f.length > 3 ? f[3] : "");
    }
}
