package dev.minidocker.container.runtime;

/** Turns the init stage's "E" CODE message line into the exception the caller reports. */
final class InitFailure {
    private InitFailure() {
    }

    static ContainerException parse(String line) {
        String body = line.startsWith("E") ? line.substring(1) : line;
        int space = body.indexOf(' ');
        int code = ExitStatus.RUNTIME_ERROR;
        try {
            code = Integer.parseInt(body.substring(0, space));
        } catch (RuntimeException e) {
            // a malformed message is still reported, as a runtime error
        }
        return new ContainerException(code, body.substring(space + 1).trim());
    }
}
