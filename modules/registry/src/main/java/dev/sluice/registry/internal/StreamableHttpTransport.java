package dev.sluice.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import dev.sluice.core.JsonRpc;
import dev.sluice.core.ProtocolVersion;
import dev.sluice.core.SecretValues;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An upstream at a Streamable HTTP endpoint: every message is a POST; a request's answer comes
 * back as JSON or as an event stream that may carry notifications and requests before it (they are
 * delivered as related to that request). A GET stream carries what the server sends unprompted.
 * A stream that ends before its answer is resumed with {@code Last-Event-ID}.
 *
 * <p>Toward a 2026-07-28 upstream ({@link #stateless}) there is no session and no GET stream: each
 * POST names its method and target in {@code Mcp-Method} and {@code Mcp-Name}, and a request is
 * cancelled by closing its response stream.
 */
final class StreamableHttpTransport implements MessageTransport {
    private static final Logger LOG = Logger.getLogger(StreamableHttpTransport.class.getName());

    private final String server;
    private final URI url;
    private final Map<String, String> headers;
    private final Duration requestTimeout;
    private final HttpClients http;
    private volatile Listener listener;
    private volatile String sessionId;
    private volatile String protocolVersion;
    private volatile boolean closed;
    private volatile boolean getStreamStarted;
    private volatile boolean stateless;
    /** The requests of protocol 2026-07-28 in flight: what to close to cancel each. */
    private final Map<String, Closeable> inFlight = new ConcurrentHashMap<>();

    StreamableHttpTransport(String server, URI url, Map<String, String> resolvedHeaders, Duration requestTimeout,
            HttpClients http) {
        this.server = server;
        this.url = url;
        this.headers = resolvedHeaders;
        this.requestTimeout = requestTimeout;
        this.http = http;
    }

    @Override
    public void start(Listener listener) {
        this.listener = listener;
    }

    @Override
    public void stateless(boolean on) {
        this.stateless = on;
        this.protocolVersion = on ? ProtocolVersion.V2026_07_28 : null;
    }

    @Override
    public boolean cancel(String requestId) {
        if (!stateless) {
            return false;
        }
        Closeable open = inFlight.remove(requestId);
        if (open != null) {
            try {
                open.close();
            } catch (IOException e) {
                LOG.fine(() -> "closing a cancelled request's stream to " + server + " failed");
            }
        }
        return true;
    }

    @Override
    public void protocolVersion(String version) {
        this.protocolVersion = version;
        // the handshake is complete: open the stream for unprompted messages
        if (!getStreamStarted && !stateless) {
            getStreamStarted = true;
            http.readers().start("sluice-http-stream-" + server, () -> listen(null));
        }
    }

    private HttpRequest.Builder request() {
        HttpRequest.Builder b = HttpRequest.newBuilder(url);
        headers.forEach(b::header);
        if (sessionId != null) {
            b.header("Mcp-Session-Id", sessionId);
        }
        if (protocolVersion != null) {
            b.header("MCP-Protocol-Version", protocolVersion);
        }
        return b;
    }

    @Override
    public void send(ObjectNode message) throws IOException {
        if (closed) {
            throw new IOException("the connection to " + server + " is closed");
        }
        JsonNode id = message.get("id");
        boolean isRequest = message.has("method") && id != null;
        String related = isRequest ? id.asText() : null;
        HttpRequest.Builder builder = request()
                .timeout(requestTimeout.plusSeconds(5))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream");
        if (stateless && isRequest) {
            String method = message.path("method").asText();
            builder.header("Mcp-Method", method);
            String name = mcpName(method, message.path("params"));
            if (name != null) {
                builder.header("Mcp-Name", name);
            }
        }
        HttpRequest post = builder.POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(message))).build();
        var exchange = http.shared().sendAsync(post, HttpResponse.BodyHandlers.ofInputStream());
        if (stateless && isRequest) {
            inFlight.put(related, () -> exchange.cancel(true));
        }
        exchange.whenComplete((response, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException
                                && failure.getCause() != null ? failure.getCause() : failure;
                        fail(id, isRequest, "cannot reach " + server + ": " + cause.getClass().getSimpleName());
                        return;
                    }
                    if (stateless && isRequest) {
                        if (inFlight.replace(related, response.body()) == null) {
                            closeQuietly(response.body()); // cancelled while the headers were on their way
                            return;
                        }
                    }
                    try {
                        handle(response, id, isRequest, related, "initialize".equals(message.path("method").asText()));
                    } finally {
                        if (related != null) {
                            inFlight.remove(related);
                        }
                    }
                });
    }

    /**
     * The {@code Mcp-Name} of a 2026-07-28 request: the tool or prompt name, the resource URI, or the
     * task id of a {@code tasks/*} request (tasks extension); base64 in {@code =?base64?…?=} when it is not plain printable ASCII.
     */
    static String mcpName(String method, JsonNode params) {
        String field = switch (method) {
            case "tools/call", "prompts/get" -> "name";
            case "resources/read" -> "uri";
            case "tasks/get", "tasks/update", "tasks/cancel" -> "taskId";
            default -> null;
        };
        if (field == null || !params.path(field).isTextual()) {
            return null;
        }
        String value = params.path(field).asText();
        boolean plain = value.chars().allMatch(c -> c >= 0x20 && c < 0x7f) && !value.startsWith(" ")
                && !value.endsWith(" ");
        return plain ? value : "=?base64?" + Base64.getEncoder().encodeToString(
                value.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private void handle(HttpResponse<InputStream> response, JsonNode id, boolean isRequest, String related,
            boolean initialize) {
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (initialize) {
                response.headers().firstValue("Mcp-Session-Id").ifPresent(s -> sessionId = s);
            }
            if (status == 404 && sessionId != null && !initialize) {
                listener.onClosed(new IOException("the upstream session of " + server + " has expired"));
                return;
            }
            if (status == 202 || (status == 200 && !isRequest)) {
                return;
            }
            if (status >= 400) {
                byte[] bytes = body.readNBytes(4096);
                JsonNode error = tryParse(bytes);
                if (error != null && error.has("error") && isRequest) {
                    ObjectNode copy = ((ObjectNode) error).deepCopy();
                    copy.set("id", id);
                    listener.onMessage(copy, related);
                } else {
                    fail(id, isRequest, server + " answered HTTP " + status);
                }
                return;
            }
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (type.startsWith("text/event-stream")) {
                String lastId = readStream(body, related);
                if (lastId != null && isRequest && !closed) {
                    // the server closed the stream early; it keeps the answer for a resumed stream
                    listen(lastId, related);
                }
            } else {
                JsonNode node = Json.parse(body.readAllBytes());
                if (node.isArray()) {
                    node.forEach(m -> deliver(m, related));
                } else {
                    deliver(node, related);
                }
            }
        } catch (IOException | RuntimeException e) {
            fail(id, isRequest, "reading the answer of " + server + " failed: " + e.getClass().getSimpleName());
        }
    }

    /** Reads events until the stream ends; returns the last event id when the stream ended early. */
    private String readStream(InputStream body, String related) throws IOException {
        try (SseReader reader = new SseReader(body)) {
            SseReader.Event event;
            while ((event = reader.next()) != null) {
                if (event.data().isBlank()) {
                    continue;
                }
                JsonNode node = tryParse(event.data().getBytes(StandardCharsets.UTF_8));
                if (node != null) {
                    boolean answer = node.has("id") && !node.has("method") && related != null
                            && related.equals(node.get("id").asText());
                    deliver(node, related);
                    if (answer) {
                        return null;
                    }
                }
            }
            return reader.lastEventId();
        }
    }

    private void listen(String lastEventId) {
        listen(lastEventId, null);
    }

    /** A GET stream: unprompted messages, or the resumption of a request's stream. */
    private void listen(String lastEventId, String related) {
        int failures = 0;
        String resumeFrom = lastEventId;
        while (!closed && failures < 5) {
            HttpRequest.Builder get = request().header("Accept", "text/event-stream").GET();
            if (resumeFrom != null) {
                get.header("Last-Event-ID", resumeFrom);
            }
            try {
                HttpResponse<InputStream> response = http.shared().send(get.build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() != 200) {
                    response.body().close();
                    if (related == null) {
                        return; // the server offers no unprompted stream (405): fine
                    }
                    failures++;
                    Thread.sleep(200L * failures);
                    continue;
                }
                String ended = readStream(response.body(), related);
                if (related != null && ended == null) {
                    return; // the resumed stream delivered the answer
                }
                resumeFrom = ended != null ? ended : resumeFrom;
                failures = 0;
                if (related == null) {
                    Thread.sleep(500);
                }
            } catch (IOException e) {
                failures++;
                LOG.log(Level.FINE, "event stream of " + server + " broke", e);
                sleepQuietly(500L * failures);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(JsonNode node, String related) {
        if (node instanceof ObjectNode message) {
            listener.onMessage(message, related);
        }
    }

    private static JsonNode tryParse(byte[] bytes) {
        try {
            return Json.mapper().readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    private void fail(JsonNode id, boolean isRequest, String why) {
        if (isRequest && listener != null) {
            listener.onRequestFailed(id.asText(), why);
        } else {
            LOG.warning(SecretValues.mask(why));
        }
    }

    @Override
    public void close() {
        closed = true;
        if (sessionId != null) {
            HttpRequest delete = request().timeout(Duration.ofSeconds(5)).DELETE().build();
            http.shared().sendAsync(delete, HttpResponse.BodyHandlers.discarding());
        }
    }

    @Override
    public String describe() {
        return "streamable-http: " + url;
    }
}
