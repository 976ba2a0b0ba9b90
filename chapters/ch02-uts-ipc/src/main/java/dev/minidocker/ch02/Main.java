package dev.minidocker.ch02;

import java.util.List;

import dev.minidocker.chapter.Narrator;
import dev.minidocker.chapter.Demos;

/**
 * Chapter 2: a namespace wraps one kind of global resource. In a new UTS namespace the
 * hostname can change without touching the host's; in a new IPC namespace the host's
 * message queues and shared memory are not there.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Narrator n = Narrator.fromArgs(args);
        n.title("Chapter 2: UTS and IPC namespaces");

        n.step("Read the hostname on the host", "remember it");
        n.host("hostname = " + UtsDemo.hostnameOfThisThread());

        n.step("On one JVM thread: unshare(CLONE_NEWUTS), then sethostname(\"ch02-demo\")",
                "the thread sees the new name, the main thread still the old one");
        UtsDemo.Observation o = UtsDemo.renameInNewNamespace("ch02-demo");
        n.inside("thread in new UTS namespace " + o.namespaceInside() + ": hostname = " + o.hostnameInside());
        n.host("main thread in " + o.namespaceOutside() + ": hostname = " + o.hostnameOutside());

        n.step("Create a System V message queue on the host, then list queues inside a container",
                "the host lists it; the container's IPC namespace has none");
        String key = IpcDemo.createHostQueue();
        try {
            n.host("/proc/sysvipc/msg lists msqid " + key + ": " + IpcDemo.hostSees(key));
            Demos.requireRootOrExplain(n);
            String inside = IpcDemo.queuesInsideContainer();
            n.inside("cat /proc/sysvipc/msg");
            n.insideLines(inside);
            n.inside("-> " + IpcDemo.msqids(inside).size() + " queues");
        } finally {
            IpcDemo.removeHostQueue(key);
        }
        n.conclude("namespaces are per resource kind; a container is a process in several of them at once " + List.of("uts", "ipc", "net", "mnt", "pid"));
    }
}
