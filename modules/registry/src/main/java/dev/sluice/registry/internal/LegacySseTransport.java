package dev.sluice.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An upstream on the legacy HTTP+SSE transport (MCP 2024-11-05): a GET event stream whose first
 * {@code endpoint} event names the URL to POST messages to; every answer comes on the stream.
 */
final class LegacySseTransport implements MessageTransport {
    private final String server;
    private final URI url;
    private final Map<String, String> headers;
    private final HttpClients http;
    private final CompletableFuture<URI> endpoint = new CompletableFuture<>();
    private volatile InputStream stream;
    private volatile boolean closed;

    LegacySseTransport(String server, URI url, Map<String, String> resolvedHeaders, HttpClients http) {
        this.server = server;
        this.url = url;
        this.headers = resolvedHeaders;
        this.http = http;
    }

    @Override
    public void start(Listener listener) throws IOException {
        HttpRequest.Builder get = HttpRequest.newBuilder(url).header("Accept", "text/event-stream").GET();
        headers.forEach(get::header);
        HttpResponse<InputStream> response;
        try {
            response = http.shared().send(get.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + server);
        }
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException(server + " answered HTTP " + response.statusCode() + " to the event-stream GET");
        }
        stream = response.body();
        try {
            http.readers().start("sluice-sse-" + server, () -> read(listener));
        } catch (IllegalStateException e) {
            close();
            throw new IOException(e.getMessage());
        }
        try {
            endpoint.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            close();
            throw new IOException(server + " sent no 'endpoint' event within 10 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + server);
        }
    }

    /**
     * The URL an {@code endpoint} event names, resolved against the stream's URL; it must be of the
     * same origin (scheme, host and port), so an upstream cannot point Sluice's POSTs, with the
     * entry's headers and credentials, at another host.
     */
    static URI endpointOf(URI stream, String data) throws IOException {
        URI target;
        try {
            target = stream.resolve(data.strip());
        } catch (IllegalArgumentException e) {
            throw new IOException("the 'endpoint' event is no URL");
        }
        if (!stream.getScheme().equalsIgnoreCase(String.valueOf(target.getScheme()))
                || !stream.getHost().equalsIgnoreCase(String.valueOf(target.getHost()))
                || port(stream) != port(target) || target.getRawUserInfo() != null) {
            throw new IOException("the 'endpoint' event points at another origin (" + target.getScheme() + "://"
                    + target.getHost() + (target.getPort() < 0 ? "" : ":" + target.getPort()) + "), not the stream's; refused");
        }
        return target;
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private void read(Listener listener) {
        Throwable cause = null;
        try (SseReader reader = new SseReader(stream)) {
            SseReader.Event event;
            while ((event = reader.next()) != null) {
                if ("endpoint".equals(event.type())) {
                    URI target;
                    try {
                        target = endpointOf(url, event.data());
                    } catch (IOException e) {
                        endpoint.completeExceptionally(e);
                        continue;
                    }
                    endpoint.complete(target);
                } else if ("message".equals(event.type()) && !event.data().isBlank()) {
                    JsonNode node = Json.mapper().readTree(event.data());
                    if (node instanceof ObjectNode message) {
                        listener.onMessage(message, null);
                    }
                }
            }
            cause = new IOException("the event stream of " + server + " ended");
        } catch (IOException e) {
            cause = e;
        }
        endpoint.completeExceptionally(cause);
        listener.onClosed(closed ? null : cause);
    }

    @Override
    public void send(ObjectNode message) throws IOException {
        URI post = endpoint.getNow(null);
        if (post == null || closed) {
            throw new IOException("not connected to " + server);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(post)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(message)));
        headers.forEach(b::header);
        try {
            HttpResponse<Void> response = http.shared().send(b.build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() >= 400) {
                throw new IOException(server + " refused a message with HTTP " + response.statusCode());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending to " + server);
        }
    }

    @Override
    public void close() {
        closed = true;
        InputStream s = stream;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public String describe() {
        return "sse: " + url;
    }
}
