package dev.minidocker.ch14;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import dev.minidocker.container.net.NetNamespace;

/**
 * A tiny HTTP server in "the outside world" that answers every request with the address the
 * connection came from: what a server on the internet sees of a masqueraded container. Its socket
 * is made on a thread inside the namespace, and a socket stays in the namespace it was made in.
 */
public final class PeerAddressServer implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread loop;

    public PeerAddressServer(NetNamespace ns, String address, int port) {
        socket = ns.call(() -> {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(address, port));
            return s;
        });
        loop = new Thread(this::serve, "peer-address-server");
        loop.setDaemon(true);
        loop.start();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket c = socket.accept()) {
                String peer = ((InetSocketAddress) c.getRemoteSocketAddress()).getAddress().getHostAddress();
                c.getInputStream().read(new byte[4096]);      // the request line; its content does not matter
                OutputStream out = c.getOutputStream();
                out.write(("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nyou came from " + peer + "\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // closed, or a client that went away: the next accept decides
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        try {
            loop.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
