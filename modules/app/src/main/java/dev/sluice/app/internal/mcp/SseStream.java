package dev.sluice.app.internal.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One server-sent-events stream to a client. Every event gets an id ({@code <stream>-<seq>}) and is
 * kept in the session's event log, so a client that reconnects with {@code Last-Event-ID} gets what
 * it missed. Writes are serialised: upstream threads and the request thread may write at once.
 */
final class SseStream {
    /** How long a client waits before reconnecting a lost stream. */
    static final int RETRY_MILLIS = 1000;

    private final McpSession session;
    private final String streamId;
    private final HttpServletResponse response;
    private final AsyncContext async;
    private volatile boolean open = true;

    SseStream(McpSession session, String streamId, HttpServletResponse response, AsyncContext async) {
        this.session = session;
        this.streamId = streamId;
        this.response = response;
        this.async = async;
    }

    String streamId() {
        return streamId;
    }

    /** Sets the headers and sends a priming event (an id with empty data) the client can resume from. */
    void begin(boolean prime) throws IOException {
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache, no-transform");
        response.setHeader("X-Accel-Buffering", "no");
        if (!session.id().isEmpty()) { // a stateless request has no session to name
            response.setHeader("Mcp-Session-Id", session.id());
        }
        if (prime) {
            // the id lets a client that loses the stream resume it; retry tells it how soon to reconnect
            String eventId = session.log().append(streamId, null);
            response.getOutputStream().write(("id: " + eventId + "\nretry: " + RETRY_MILLIS + "\ndata: \n\n")
                    .getBytes(StandardCharsets.UTF_8));
            response.flushBuffer();
        } else {
            response.flushBuffer();
        }
    }

    /** Sends a message as an event; false when the stream is gone (the event stays in the log). */
    synchronized boolean send(ObjectNode message) {
        String data = Json.write(message);
        String eventId = session.log().append(streamId, data);
        if (!open) {
            return false;
        }
        try {
            write(eventId, data);
            return true;
        } catch (IOException e) {
            open = false;
            return false;
        }
    }

    /** Replays logged events of this stream after {@code lastEventId}. */
    synchronized void replay(String lastEventId) throws IOException {
        for (EventLog.Entry entry : session.log().after(lastEventId)) {
            if (entry.data() != null) {
                write(entry.id(), entry.data());
            }
        }
    }

    private void write(String eventId, String data) throws IOException {
        OutputStream out = response.getOutputStream();
        StringBuilder event = new StringBuilder(data.length() + 40);
        event.append("id: ").append(eventId).append('\n');
        event.append("data: ").append(data).append("\n\n");
        out.write(event.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        response.flushBuffer();
    }

    /** A comment line that keeps proxies from closing an idle stream; false when it is gone. */
    synchronized boolean keepAlive() {
        if (!open) {
            return false;
        }
        try {
            response.getOutputStream().write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
            response.flushBuffer();
            return true;
        } catch (IOException e) {
            open = false;
            return false;
        }
    }

    boolean isOpen() {
        return open;
    }

    synchronized void close() {
        if (open) {
            open = false;
            if (async != null) {
                try {
                    async.complete();
                } catch (IllegalStateException ignored) {
                    // already completed by the container
                }
            }
        }
    }
}
