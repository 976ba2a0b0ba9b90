package dev.minidocker.container.image;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a stream on a second thread, a few chunks ahead of its reader: decompressing and hashing
 * a layer then runs on one core while the unpacker makes files on another, as
 * {@code tar -xz} does with its gzip child process.
 */
final class ReadAhead extends InputStream {
    private static final int CHUNK = 1 << 18;
    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(16);
    private final InputStream source;
    private final Thread reader;
    private volatile IOException failure;
    private volatile boolean closed;
    private byte[] current = new byte[0];
    private int pos;
    private boolean ended;

    ReadAhead(InputStream source) {
        this.source = source;
        this.reader = new Thread(this::fill, "mini-image-read-ahead");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    private void fill() {
        try {
            while (!closed) {
                byte[] chunk = new byte[CHUNK];
                int n = source.readNBytes(chunk, 0, CHUNK);
                if (n == 0) {
                    break;
                }
                chunks.put(n == CHUNK ? chunk : java.util.Arrays.copyOf(chunk, n));
            }
        } catch (IOException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = new IOException(e.getMessage(), e);
        } catch (InterruptedException e) {
            return; // closed by the reader
        }
        try {
            chunks.put(END);
        } catch (InterruptedException e) {
            // closed by the reader
        }
    }

    private boolean next() throws IOException {
        if (ended) {
            return false;
        }
        try {
            current = chunks.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading a layer");
        }
        pos = 0;
        if (current == END) {
            ended = true;
            if (failure != null) {
                throw failure;
            }
            return false;
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        if (pos == current.length && !next()) {
            return -1;
        }
        return current[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos == current.length && !next()) {
            return -1;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        reader.interrupt();
        source.close();
    }
}
