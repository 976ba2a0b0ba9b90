package dev.minidocker.cli;

import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * The common case of a command line without picocli's model. picocli builds its model of a
 * command by reflection over about 175 classes compiled for Java 5, which cannot go into a class
 * data archive: that is most of a short command's start (about 200 ms of CPU for {@code mini run}).
 * This reads the same {@code @Option} and {@code @Parameters} annotations, fills the same fields
 * and calls the command; anything it does not handle exactly as picocli would (help, clustered
 * short options, a value that looks like an option, a repeated single option, a missing or extra
 * argument, types other than text, numbers, flags and lists of text) returns null, and picocli
 * parses the line instead, with its own checks and messages.
 */
public final class QuickParse {
    private static final String NO_DEFAULT = "__no_default_value__";

    /** The command to call with its fields filled, or null: picocli must parse this line. */
    static Callable<Integer> parse(Class<?> type, List<String> args, boolean stopAtPositional) {
        try {
            Command command = type.getAnnotation(Command.class);
            if (command == null || command.subcommands().length > 0 || !Callable.class.isAssignableFrom(type)) {
                return null;
            }
            var constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            Object target = constructor.newInstance();
            Map<String, Binding> options = new LinkedHashMap<>();
            List<Binding> positionals = new ArrayList<>();
            if (!collect(target, options, positionals, false)) {
                return null;
            }
            if (!fill(args, stopAtPositional, options, positionals)) {
                return null;
            }
            @SuppressWarnings("unchecked")
            Callable<Integer> callable = (Callable<Integer>) target;
            return callable;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // picocli will say what is wrong, as it always has
        }
    }

    /**
     * A line of a command with subcommands (mini-runc): parent's own options, then a subcommand
     * and its line. The subcommand to call with parent's fields and its own filled, or null.
     */
    public static Callable<Integer> parseSubcommand(Object parent, List<String> args, Set<String> stopAtPositional) {
        try {
            Map<String, Binding> options = new LinkedHashMap<>();
            if (!collect(parent, options, new ArrayList<>(), true)) {
                return null;
            }
            Set<Binding> given = new HashSet<>();
            int i = 0;
            while (i < args.size() && args.get(i).startsWith("-")) {
                i = option(args, i, options, given);
                if (i < 0) {
                    return null;
                }
            }
            if (i == args.size()) {
                return null;
            }
            for (Class<?> sub : parent.getClass().getAnnotation(Command.class).subcommands()) {
                Command c = sub.getAnnotation(Command.class);
                if (c != null && c.name().equals(args.get(i))) {
                    return parse(sub, args.subList(i + 1, args.size()), stopAtPositional.contains(c.name()));
                }
            }
            return null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** A field an option or a positional parameter sets. */
    private static final class Binding {
        final Object target;
        final Field field;
        final boolean list;
        final boolean flag;
        int lo;
        int hi;
        int minArity = -1; // -1: not stated
        int maxArity = -1;
        int seen;

        Binding(Object target, Field field) {
            this.target = target;
            this.field = field;
            this.list = List.class.isAssignableFrom(field.getType());
            this.flag = field.getType() == boolean.class || field.getType() == Boolean.class;
        }

        void set(String value) throws IllegalAccessException {
            if (list) {
                @SuppressWarnings("unchecked")
                List<String> l = (List<String>) field.get(target);
                if (l == null) {
                    l = new ArrayList<>();
                    field.set(target, l);
                }
                l.add(value);
            } else {
                field.set(target, convert(field.getType(), value));
            }
        }
    }

    /**
     * The annotated fields of target and of its mixins; false if one is of a kind left to picocli.
     * A parent's @Spec is allowed: picocli's model only serves its own usage, which a subcommand line never shows.
     */
    private static boolean collect(Object target, Map<String, Binding> options, List<Binding> positionals, boolean parent)
            throws IllegalAccessException, ReflectiveOperationException {
        for (Class<?> c = target.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (var m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(Option.class) || m.isAnnotationPresent(Parameters.class) || m.isAnnotationPresent(Spec.class)) {
                    return false; // annotated setters: picocli's
                }
            }
            for (Field f : c.getDeclaredFields()) {
                if (parent && f.isAnnotationPresent(Spec.class)) {
                    continue;
                }
                if (f.isAnnotationPresent(Spec.class) || f.isAnnotationPresent(ArgGroup.class)
                        || f.isAnnotationPresent(ParentCommand.class) || f.isAnnotationPresent(Unmatched.class)) {
                    return false;
                }
                f.setAccessible(true);
                Option o = f.getAnnotation(Option.class);
                Parameters p = f.getAnnotation(Parameters.class);
                if (f.isAnnotationPresent(Mixin.class)) {
                    Object mixin = f.get(target);
                    if (mixin == null) {
                        var k = f.getType().getDeclaredConstructor();
                        k.setAccessible(true);
                        mixin = k.newInstance();
                        f.set(target, mixin);
                    }
                    if (!collect(mixin, options, positionals, false)) {
                        return false;
                    }
                } else if (o != null) {
                    if (!supported(f) || !o.arity().isEmpty() || !o.split().isEmpty() || o.negatable() || o.required()
                            || o.converter().length > 0 || o.defaultValue().contains("${")) {
                        return false;
                    }
                    Binding b = new Binding(target, f);
                    if (!o.defaultValue().equals(NO_DEFAULT)) {
                        b.set(o.defaultValue());
                    }
                    for (String name : o.names()) {
                        options.put(name, b);
                    }
                } else if (p != null) {
                    if (!supported(f) || !p.split().isEmpty() || p.converter().length > 0
                            || !p.defaultValue().equals(NO_DEFAULT)) {
                        return false;
                    }
                    Binding b = new Binding(target, f);
                    if (!range(p.index(), b, false) || !range(p.arity(), b, true)) {
                        return false;
                    }
                    positionals.add(b);
                }
            }
        }
        if (positionals.size() == 1 && positionals.get(0).lo < 0) {
            positionals.get(0).lo = 0;          // one positional without an index takes them all
            positionals.get(0).hi = Integer.MAX_VALUE;
        }
        return positionals.stream().allMatch(b -> b.lo >= 0);
    }

    /** "N", "N..M" or "N..*" into lo/hi (an index) or minArity/maxArity; "" leaves them unset. */
    private static boolean range(String text, Binding b, boolean arity) {
        if (text.isEmpty()) {
            if (!arity) {
                b.lo = -1;
            }
            return true;
        }
        String[] ends = text.split("\\.\\.", 2);
        int lo = Integer.parseInt(ends[0]);
        int hi = ends.length == 1 ? lo : ends[1].equals("*") ? Integer.MAX_VALUE : Integer.parseInt(ends[1]);
        if (arity) {
            b.minArity = lo;
            b.maxArity = hi;
        } else {
            b.lo = lo;
            b.hi = hi;
        }
        return true;
    }

    private static boolean supported(Field f) {
        Class<?> t = f.getType();
        if (List.class.isAssignableFrom(t)) {
            return f.getGenericType() instanceof ParameterizedType pt && pt.getActualTypeArguments()[0] == String.class;
        }
        return t == String.class || t == boolean.class || t == Boolean.class || t == int.class || t == Integer.class
                || t == long.class || t == Long.class || t == java.nio.file.Path.class;
    }

    private static Object convert(Class<?> t, String v) {
        if (t == String.class) {
            return v;
        }
        if (t == boolean.class || t == Boolean.class) {
            if (!v.equals("true") && !v.equals("false")) {
                throw new IllegalArgumentException(v);
            }
            return Boolean.parseBoolean(v);
        }
        if (t == int.class || t == Integer.class) {
            return Integer.valueOf(v);
        }
        if (t == java.nio.file.Path.class) {
            return java.nio.file.Path.of(v);
        }
        return Long.valueOf(v);
    }

    /** The option at args[i] (with its value): the index after it, or -1 where picocli's rules would need more than this. */
    private static int option(List<String> args, int i, Map<String, Binding> options, Set<Binding> given)
            throws IllegalAccessException {
        String a = args.get(i);
        int eq = a.indexOf('=');
        String name = eq > 0 ? a.substring(0, eq) : a;
        Binding b = options.get(name);
        if (b == null || (!b.list && !given.add(b))) {
            return -1; // unknown here (help, clustered short options, a typo) or repeated: picocli's to answer
        }
        if (b.flag) {
            if (eq > 0) {
                return -1;
            }
            b.field.set(b.target, Boolean.TRUE);
            return i + 1;
        }
        String value;
        if (eq > 0) {
            value = a.substring(eq + 1);
        } else if (i + 1 < args.size()) {
            value = args.get(++i);
        } else {
            return -1;
        }
        if (value.startsWith("-")) {
            return -1;
        }
        if (b.list && b.seen == 0) {
            b.field.set(b.target, new ArrayList<String>()); // the values given replace a default
        }
        b.seen++;
        b.set(value);
        return i + 1;
    }

    /** Sets the fields from the arguments; false where picocli's rules would need more than this. */
    private static boolean fill(List<String> args, boolean stopAtPositional, Map<String, Binding> options,
                                List<Binding> positionals) throws IllegalAccessException {
        List<String> values = new ArrayList<>();
        Set<Binding> given = new HashSet<>();
        boolean optionsEnd = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (optionsEnd || !a.startsWith("-")) {
                values.add(a);
                optionsEnd |= stopAtPositional;
                continue;
            }
            if (a.equals("--")) {
                optionsEnd = true;
                continue;
            }
            i = option(args, i, options, given) - 1;
            if (i < 0) {
                return false;
            }
        }
        int assigned = 0;
        for (Binding b : positionals) {
            int n = Math.max(0, Math.min(b.hi, values.size() - 1) - b.lo + 1);
            if (!b.list && b.hi != b.lo) {
                return false;
            }
            boolean emptyAllowed = b.minArity == 0;
            if (n == 0 ? !emptyAllowed : (b.minArity > n || (b.maxArity >= 0 && n > b.maxArity))) {
                return false;
            }
            for (int k = b.lo; k < b.lo + n; k++) {
                b.set(values.get(k));
            }
            assigned += n;
        }
        return assigned == values.size();
    }
}
