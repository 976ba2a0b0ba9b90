package dev.minidocker.exercises.grade;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

import dev.minidocker.exercises.TeachingException;

/**
 * Grades as JUnit XML, the format CI systems and LMS autograders read: one {@code <testsuite>}
 * per exercise, one {@code <testcase>} per test of its chapter. An exercise not started is one
 * skipped test case; one that does not compile is one failed test case holding javac's messages.
 */
public final class JunitXml {
    private JunitXml() {
    }

    public static void write(Path file, String student, List<GradedExercise> grades) {
        Document doc = document();
        Element suites = doc.createElement("testsuites");
        suites.setAttribute("name", "mini-docker exercises of " + student);
        doc.appendChild(suites);
        int tests = 0, failures = 0, skipped = 0;
        long millis = 0;
        for (GradedExercise g : grades) {
            Element suite = suite(doc, student, g);
            suites.appendChild(suite);
            tests += Integer.parseInt(suite.getAttribute("tests"));
            failures += Integer.parseInt(suite.getAttribute("failures"));
            skipped += Integer.parseInt(suite.getAttribute("skipped"));
            millis += g.started() ? g.result().millis() : 0;
        }
        suites.setAttribute("tests", Integer.toString(tests));
        suites.setAttribute("failures", Integer.toString(failures));
        suites.setAttribute("errors", "0");
        suites.setAttribute("skipped", Integer.toString(skipped));
        suites.setAttribute("time", seconds(millis));
        save(doc, file);
    }

    private static Element suite(Document doc, String student, GradedExercise g) {
        Element suite = doc.createElement("testsuite");
        suite.setAttribute("name", g.exercise().id());
        suite.setAttribute("timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        Element props = doc.createElement("properties");
        property(doc, props, "student", student);
        property(doc, props, "chapter", g.exercise().chapter().label());
        property(doc, props, "verdict", g.verdict());
        property(doc, props, "solution-shown", Boolean.toString(g.state() == dev.minidocker.exercises.Workspace.State.SOLUTION));
        suite.appendChild(props);
        String classname = g.exercise().chapter().id() + "." + g.exercise().id();
        int tests = 0, failures = 0, skipped = 0;
        if (!g.started()) {
            Element tc = testcase(doc, classname, "started");
            tc.appendChild(message(doc, "skipped", "not started: ./mini exercise start " + g.exercise().id(), null));
            suite.appendChild(tc);
            tests = 1;
            skipped = 1;
        } else if (!g.result().compiled()) {
            Element tc = testcase(doc, classname, "compiles");
            tc.appendChild(message(doc, "failure", "does not compile", String.join("\n", g.result().compileErrors())));
            suite.appendChild(tc);
            tests = 1;
            failures = 1;
        } else {
            for (TestOutcome t : g.result().tests()) {
                Element tc = testcase(doc, classname + "." + t.testClass(), t.test());
                if (t.failed()) {
                    tc.appendChild(message(doc, "failure", t.message(), null));
                    failures++;
                } else if (t.skipped()) {
                    tc.appendChild(message(doc, "skipped", t.message(), null));
                    skipped++;
                }
                suite.appendChild(tc);
                tests++;
            }
        }
        suite.setAttribute("tests", Integer.toString(tests));
        suite.setAttribute("failures", Integer.toString(failures));
        suite.setAttribute("errors", "0");
        suite.setAttribute("skipped", Integer.toString(skipped));
        suite.setAttribute("time", seconds(g.started() ? g.result().millis() : 0));
        return suite;
    }

    private static Element testcase(Document doc, String classname, String name) {
        Element tc = doc.createElement("testcase");
        tc.setAttribute("classname", classname);
        tc.setAttribute("name", name);
        return tc;
    }

    private static Element message(Document doc, String kind, String message, String body) {
        Element e = doc.createElement(kind);
        e.setAttribute("message", xmlText(message));
        if (body != null) {
            e.setTextContent(xmlText(body));
        }
        return e;
    }

    private static void property(Document doc, Element props, String name, String value) {
        Element p = doc.createElement("property");
        p.setAttribute("name", name);
        p.setAttribute("value", value);
        props.appendChild(p);
    }

    /** XML 1.0 cannot hold control characters (a test's output may have ANSI colours): drop them. */
    static String xmlText(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().filter(c -> c >= 0x20 || c == '\t' || c == '\n' || c == '\r').forEach(sb::appendCodePoint);
        return sb.toString();
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }

    private static Document document() {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void save(Document doc, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            try (OutputStream out = Files.newOutputStream(file)) {
                t.transform(new DOMSource(doc), new StreamResult(out));
            }
        } catch (IOException | TransformerException e) {
            throw new TeachingException("cannot write " + file + ": " + e.getMessage());
        }
    }
}
