package dev.sluice.security.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A one-document HTTP server on the loopback interface for tests, built on a plain socket: the test
 * sources are patched into the {@code dev.sluice.security} module, which does not read
 * {@code jdk.httpserver}. It answers every request with the same body and counts the requests.
 */
public final class TinyHttpServer implements AutoCloseable {
    private final ServerSocket socket;
    private final byte[] body;
    private final String contentType;
    private final AtomicInteger requests = new AtomicInteger();
    private final Thread thread;

    public TinyHttpServer(String body, String contentType) throws IOException {
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.body = body.getBytes(StandardCharsets.UTF_8);
        this.contentType = contentType;
        this.thread = new Thread(this::serve, "tiny-http-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    /** The URL of {@code path} on this server, e.g. {@code http://127.0.0.1:40123/jwks}. */
    public String url(String path) {
        return "http://127.0.0.1:" + socket.getLocalPort() + path;
    }

    public int requests() {
        return requests.get();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                        StandardCharsets.ISO_8859_1));
                String line = in.readLine();
                while (line != null && !line.isEmpty()) {
                    line = in.readLine();
                }
                requests.incrementAndGet();
                OutputStream out = client.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
            } catch (IOException e) {
                // closed, or a client that went away
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
