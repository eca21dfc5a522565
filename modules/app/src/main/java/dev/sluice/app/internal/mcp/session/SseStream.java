package dev.sluice.app.internal.mcp.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One server-sent-events stream to a client. Every event gets an id ({@code <stream>-<seq>}) and is
 * kept in the session's event log, so a client that reconnects with {@code Last-Event-ID} gets what
 * it missed. Writes are serialised: upstream threads and the request thread may write at once.
 *
 * <p>A POST's answer stream that was released, or that its client resumed with a GET (on this node or
 * another), is <em>handed over</em>: what it would send is logged and passed to the session, which
 * writes it on the resuming stream wherever that is.
 */
public final class SseStream {
    /** How long a client waits before reconnecting a lost stream. */
    static final int RETRY_MILLIS = 1000;

    private final McpSession session;
    private final String streamId;
    private final HttpServletResponse response;
    private final AsyncContext async;
    private volatile boolean open = true;
    private volatile boolean handedOver;
    /** The sequence of the last event of a resumed stream written here (events come from one node, in order). */
    private long lastSeq = -1;

    public SseStream(McpSession session, String streamId, HttpServletResponse response, AsyncContext async) {
        this.session = session;
        this.streamId = streamId;
        this.response = response;
        this.async = async;
    }

    String streamId() {
        return streamId;
    }

    /** Sets the headers and sends a priming event (an id with empty data) the client can resume from. */
    public void begin(boolean prime) throws IOException {
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache, no-transform");
        response.setHeader("X-Accel-Buffering", "no");
        if (!session.id().isEmpty()) { // a stateless request has no session to name
            response.setHeader("Mcp-Session-Id", session.id());
        }
        if (prime) {
            prime();
        } else {
            response.flushBuffer();
        }
    }

    /** Sends a priming event: an id the client can resume from, and how soon to reconnect. */
    synchronized void prime() throws IOException {
        String eventId = session.log().append(streamId, null);
        response.getOutputStream().write(("id: " + eventId + "\nretry: " + RETRY_MILLIS + "\ndata: \n\n")
                .getBytes(StandardCharsets.UTF_8));
        response.flushBuffer();
    }

    /**
     * Sends a message as an event of this stream. It is logged first; a handed-over stream passes it
     * on to the session.
     *
     * @return whether it was written, or passed on by a handed-over stream; false when the connection
     *         is gone (the event stays in the log for a client that resumes)
     */
    public synchronized boolean send(ObjectNode message) {
        String data = Json.write(message);
        String eventId = session.log().append(streamId, data);
        if (handedOver) {
            session.handOn(streamId, eventId, data);
            return true;
        }
        return tryWrite(eventId, data);
    }

    /** Writes an event while the connection is open; a failed write means it is gone. */
    private boolean tryWrite(String eventId, String data) {
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

    /**
     * Stops writing to this stream's connection: its client resumed it elsewhere, or the server
     * released it. What it sends from now on is passed to the session. Not under the stream's lock:
     * a resuming stream calls it while holding its own, and a sender may hold this one while it hands
     * an event to that resuming stream.
     *
     * @return whether this call handed it over (false when it was already)
     */
    boolean handOver() {
        open = false;
        boolean was = handedOver;
        handedOver = true;
        return !was;
    }

    /**
     * Hands over (see {@link #handOver()}) and, the first time, runs {@code then} under this stream's
     * lock, before any later event is handed on: for passing on what was logged so far, in order.
     */
    synchronized void handOver(Runnable then) {
        if (handOver()) {
            then.run();
        }
    }

    /**
     * Makes this stream the continuation of the stream {@code lastEventId} belongs to: runs
     * {@code register} (after which events handed on reach {@link #relayed}), then writes the logged
     * events after that id, all under this stream's lock, so that nothing is lost, doubled or reordered.
     */
    synchronized void resume(String lastEventId, Runnable register) throws IOException {
        lastSeq = EventLog.seqOf(lastEventId);
        register.run();
        writeAll(session.log().after(lastEventId));
    }

    /** Replays logged events (of another stream: a resumed GET stream continues under a new id). */
    synchronized void replay(List<EventLog.Entry> entries) throws IOException {
        for (EventLog.Entry entry : entries) {
            if (entry.data() != null) {
                write(entry.id(), entry.data());
            }
        }
    }

    private void writeAll(List<EventLog.Entry> entries) throws IOException {
        for (EventLog.Entry entry : entries) {
            if (entry.seq() > lastSeq) {
                lastSeq = entry.seq();
                if (entry.data() != null) {
                    write(entry.id(), entry.data());
                }
            }
        }
    }

    /** An event of the stream this one resumes, handed on by its sender; one already written is skipped. */
    synchronized boolean relayed(String eventId, String data) {
        long seq = EventLog.seqOf(eventId);
        if (seq <= lastSeq) {
            return true;
        }
        lastSeq = seq;
        return tryWrite(eventId, data);
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
    public synchronized boolean keepAlive() {
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

    public synchronized void close() {
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
