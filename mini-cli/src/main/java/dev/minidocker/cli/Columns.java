package dev.minidocker.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A table as docker prints one: each column as wide as its widest cell, two spaces between
 * columns, the last one unpadded. Numbers may be right-aligned. Rows are kept until print, since
 * a long name further down widens its whole column.
 */
final class Columns {
    private final String[] header;
    private final boolean[] right;
    private final List<String[]> rows = new ArrayList<>();

    Columns(String... header) {
        this.header = header;
        this.right = new boolean[header.length];
    }

    /** Right-aligns column i (counts, sizes). */
    Columns alignRight(int i) {
        right[i] = true;
        return this;
    }

    void row(Object... cells) {
        String[] r = new String[header.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = i < cells.length && cells[i] != null ? cells[i].toString() : "";
        }
        rows.add(r);
    }

    void print(PrintStream out) {
        int[] width = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            width[i] = header[i].length();
            for (String[] r : rows) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        line(out, header, width);
        for (String[] r : rows) {
            line(out, r, width);
        }
    }

    private void line(PrintStream out, String[] cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            boolean last = i == cells.length - 1;
            String pad = " ".repeat(width[i] - cells[i].length());
            b.append(right[i] ? pad + cells[i] : last ? cells[i] : cells[i] + pad);
            if (!last) {
                b.append("  ");
            }
        }
        out.println(b.toString().stripTrailing());
    }
}
