package dev.sluice.app.internal.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Caller;
import dev.sluice.core.Json;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One MCP session (session era): what the client negotiated, its streams, the requests Sluice sent
 * it that await answers, its calls in flight, and its resource subscriptions.
 */
final class McpSession {
    private final String id;
    private final String virtualServer;
    private volatile String protocolVersion;
    private volatile ObjectNode clientCapabilities;
    private volatile ObjectNode clientInfo;
    private volatile Caller caller;
    private final Instant created = Instant.now();
    private final EventLog log = new EventLog(1000);
    private final AtomicLong outboundIds = new AtomicLong();
    private final AtomicLong streamIds = new AtomicLong();
    private final Map<String, CompletableFuture<ObjectNode>> outbound = new ConcurrentHashMap<>();
    private final Map<String, Runnable> inflight = new ConcurrentHashMap<>();
    private final Set<String> subscriptions = ConcurrentHashMap.newKeySet();
    private volatile SseStream listening;
    private final Set<String> standaloneStreams = ConcurrentHashMap.newKeySet();
    private final Map<String, SseStream> resumed = new ConcurrentHashMap<>();
    private volatile long lastSeenNanos = System.nanoTime();
    private volatile String logLevel;
    private volatile long checkedNanos;

    McpSession(String id, String virtualServer, String protocolVersion, ObjectNode clientCapabilities,
            ObjectNode clientInfo, Caller caller) {
        this.id = id;
        this.virtualServer = virtualServer;
        this.protocolVersion = protocolVersion;
        this.clientCapabilities = clientCapabilities == null ? Json.object() : clientCapabilities;
        this.clientInfo = clientInfo == null ? Json.object() : clientInfo;
        this.caller = caller;
    }

    String id() {
        return id;
    }

    /** Records what a late {@code initialize} negotiated (the legacy transport opens the session first). */
    void initialized(String version, ObjectNode capabilities, ObjectNode info) {
        this.clientCapabilities = capabilities == null ? Json.object() : capabilities;
        this.clientInfo = info == null ? Json.object() : info;
        this.protocolVersion = version;
    }

    String virtualServer() {
        return virtualServer;
    }

    String protocolVersion() {
        return protocolVersion;
    }

    ObjectNode clientCapabilities() {
        return clientCapabilities;
    }

    ObjectNode clientInfo() {
        return clientInfo;
    }

    Caller caller() {
        return caller;
    }

    /**
     * Takes the caller of a later request of this session: only the same subject may use a session
     * (anyone else is told it does not exist), and the latest credentials (a refreshed token, a
     * rotated key) govern what it may do from then on.
     *
     * @return whether the caller may use this session
     */
    boolean admit(Caller next) {
        if (!caller.subject().equals(next.subject())) {
            return false;
        }
        caller = next;
        return true;
    }

    Instant created() {
        return created;
    }

    EventLog log() {
        return log;
    }

    String newStreamId() {
        return "s" + streamIds.incrementAndGet();
    }

    /** Unique across nodes, so that an answer that reaches another node finds its way back (AnswerRelay). */
    String newOutboundId() {
        return "sluice-" + SessionStore.NODE + "-" + outboundIds.incrementAndGet();
    }

    Map<String, CompletableFuture<ObjectNode>> outbound() {
        return outbound;
    }

    Map<String, Runnable> inflight() {
        return inflight;
    }

    Set<String> subscriptions() {
        return subscriptions;
    }

    SseStream listening() {
        return listening;
    }

    void listening(SseStream stream) {
        SseStream old = this.listening;
        this.listening = stream;
        if (stream != null) {
            standaloneStreams.add(stream.streamId());
        }
        if (old != null && old != stream) {
            old.close();
        }
    }

    /**
     * Delivers a message that belongs to a stream whose connection is gone: to the GET that resumed
     * it when there is one, otherwise into the log for the GET that will.
     */
    synchronized void deliver(String streamId, ObjectNode message) {
        SseStream live = resumed.get(streamId);
        if (live != null && live.send(message)) {
            return;
        }
        log.append(streamId, Json.write(message));
    }

    /**
     * Replays what a resuming stream missed, atomically with making it live: the session's standalone
     * stream when it resumes that one, otherwise the continuation of a request's answer stream.
     */
    synchronized void resume(SseStream stream, String lastEventId) throws java.io.IOException {
        stream.replay(lastEventId);
        if (standaloneStreams.contains(stream.streamId())) {
            listening(stream);
        } else {
            SseStream old = resumed.put(stream.streamId(), stream);
            if (old != null && old != stream) {
                old.close();
            }
        }
    }

    /** A resumed answer stream ended. */
    void ended(SseStream stream) {
        resumed.remove(stream.streamId(), stream);
        if (listening == stream) {
            listening = null;
        }
    }

    String logLevel() {
        return logLevel;
    }

    void logLevel(String level) {
        this.logLevel = level;
    }

    /** When this node last checked the session's shared marks (ended, recently used). */
    long checked() {
        return checkedNanos;
    }

    void checked(long nanos) {
        this.checkedNanos = nanos;
    }

    void touch() {
        lastSeenNanos = System.nanoTime();
    }

    long idleNanos() {
        return System.nanoTime() - lastSeenNanos;
    }

    void close() {
        SseStream stream = listening;
        listening = null;
        if (stream != null) {
            stream.close();
        }
        resumed.values().forEach(SseStream::close);
        resumed.clear();
        inflight.values().forEach(Runnable::run);
        inflight.clear();
        outbound.values().forEach(f -> f.cancel(false));
        outbound.clear();
    }
}
