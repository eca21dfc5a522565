package dev.sluice.app.internal.mcp.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.internal.mcp.NodeIds;
import dev.sluice.app.internal.mcp.relay.StreamRelay;
import dev.sluice.core.Caller;
import dev.sluice.core.Json;
import java.io.IOException;
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
public final class McpSession {
    private final String id;
    private final String virtualServer;
    private volatile String protocolVersion;
    private volatile ObjectNode clientCapabilities;
    private volatile ObjectNode clientInfo;
    private volatile Caller caller;
    private final Instant created = Instant.now();
    private volatile EventLog log = new EventLog(1000);
    private volatile StreamRelay relay;
    private volatile String digest;
    private final AtomicLong outboundIds = new AtomicLong();
    private final AtomicLong streamIds = new AtomicLong();
    private final Map<String, CompletableFuture<ObjectNode>> outbound = new ConcurrentHashMap<>();
    private final Map<String, Runnable> inflight = new ConcurrentHashMap<>();
    private final Set<String> subscriptions = ConcurrentHashMap.newKeySet();
    private volatile SseStream listening;
    private final Map<String, SseStream> resumed = new ConcurrentHashMap<>();
    /** The answer streams of this node's POSTs still in progress, by stream id. */
    private final Map<String, SseStream> producing = new ConcurrentHashMap<>();
    private volatile long lastSeenNanos = System.nanoTime();
    private volatile String logLevel;
    private volatile long checkedNanos;

    public McpSession(String id, String virtualServer, String protocolVersion, ObjectNode clientCapabilities,
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

    public String virtualServer() {
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

    public Caller caller() {
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

    /**
     * Connects the session to the other nodes: its events go to a shared log as well, and what it
     * cannot deliver here is relayed. Called before the session serves anything.
     */
    public void share(StreamRelay relay, EventLog sharedLog) {
        this.relay = relay;
        this.log = sharedLog;
    }

    /** A digest of the id, which names the session among nodes (the id itself is a credential). */
    public String digest() {
        String d = digest;
        if (d == null) {
            d = SessionStore.digest(id);
            digest = d;
        }
        return d;
    }

    /** A new stream id of this node: kind 'g' for a GET stream, 'p' for a POST's answer, 'l' for legacy SSE. */
    public String newStreamId(char kind) {
        return NodeIds.NODE + "." + kind + streamIds.incrementAndGet();
    }

    /** Unique across nodes, so that an answer that reaches another node finds its way back (AnswerRelay). */
    String newOutboundId() {
        return "sluice-" + NodeIds.NODE + "-" + outboundIds.incrementAndGet();
    }

    public Map<String, CompletableFuture<ObjectNode>> outbound() {
        return outbound;
    }

    Map<String, Runnable> inflight() {
        return inflight;
    }

    public Set<String> subscriptions() {
        return subscriptions;
    }

    public SseStream listening() {
        return listening;
    }

    void listening(SseStream stream) {
        SseStream old = this.listening;
        this.listening = stream;
        if (old != null && old != stream) {
            old.close();
        }
    }

    /**
     * Sends a message on the session's GET stream: this node's when it holds one, otherwise (with a
     * shared Redis) on whichever node does. False when it cannot reach the client at all.
     */
    public boolean toClient(ObjectNode message) {
        SseStream stream = listening;
        if (stream != null && stream.send(message)) {
            return true;
        }
        StreamRelay r = relay;
        return r != null && r.toListening(this, message);
    }

    /** A POST's answer stream started (it may be resumed while the call runs) or ended. */
    void producing(SseStream stream, boolean started) {
        if (started) {
            producing.put(stream.streamId(), stream);
        } else {
            producing.remove(stream.streamId(), stream);
        }
    }

    SseStream producing(String streamId) {
        return producing.get(streamId);
    }

    /**
     * An event of a handed-over answer stream: to the GET that resumed it on this node, else to the
     * node that did (it is in the log either way, for a GET that resumes it later).
     */
    void handOn(String streamId, String eventId, String data) {
        SseStream live = resumed.get(streamId);
        if (live != null) {
            live.relayed(eventId, data);
            return;
        }
        StreamRelay r = relay;
        if (r != null) {
            r.event(this, streamId, eventId, data);
        }
    }

    /** An event another node handed on, for a stream resumed here. */
    public void relayed(String streamId, String eventId, String data) {
        SseStream live = resumed.get(streamId);
        if (live != null) {
            live.relayed(eventId, data);
        }
    }

    /**
     * Resumes the stream {@code lastEventId} belongs to on {@code stream}. A GET stream continues
     * under the new stream's id after the missed events are replayed (and a priming event, when
     * {@code prime}); a POST's answer stream keeps
     * its id, and its sender, on this node or another, hands what follows to this stream.
     */
    void resume(SseStream stream, String lastEventId, boolean prime) throws IOException {
        String old = EventLog.streamOf(lastEventId);
        if (!EventLog.ofAnswerStream(lastEventId)) {
            if (EventLog.kindOf(old) != 0) {
                stream.replay(log.after(lastEventId));
            }
            if (prime) { // after the replay: the client's next Last-Event-ID names the new stream
                stream.prime();
            }
            listening(stream);
            StreamRelay r = relay;
            if (r != null && !old.startsWith(NodeIds.NODE + ".") && EventLog.kindOf(old) == 'g') {
                r.resumed(this, old); // the node that held it stops writing to a connection nobody reads
            }
            return;
        }
        stream.resume(lastEventId, () -> {
            SseStream previous = resumed.put(old, stream);
            if (previous != null && previous != stream) {
                previous.close();
            }
            SseStream producer = producing.get(old);
            if (producer != null) {
                producer.handOver();
            } else if (relay != null && !old.startsWith(NodeIds.NODE + ".")) {
                relay.resumed(this, old);
            }
        });
    }

    /**
     * Another node resumed a stream of this session: its sender here hands over (and passes on what
     * it logged, in case some of it came after the other node read the shared log), or the GET
     * stream here stops.
     */
    public void resumedElsewhere(String streamId) {
        SseStream producer = producing.get(streamId);
        if (producer != null) {
            StreamRelay r = relay;
            producer.handOver(() -> {
                for (EventLog.Entry e : log.entriesOf(streamId)) {
                    if (e.data() != null && r != null) {
                        r.event(this, streamId, e.id(), e.data());
                    }
                }
            });
            return;
        }
        SseStream stream = listening;
        if (stream != null && stream.streamId().equals(streamId)) {
            listening = null;
            stream.close();
        }
    }

    /** A resumed stream ended. */
    void ended(SseStream stream) {
        resumed.remove(stream.streamId(), stream);
        if (listening == stream) {
            listening = null;
        }
    }

    String logLevel() {
        return logLevel;
    }

    public void logLevel(String level) {
        this.logLevel = level;
    }

    /** When this node last checked the session's shared marks (ended, recently used). */
    long checked() {
        return checkedNanos;
    }

    void checked(long nanos) {
        this.checkedNanos = nanos;
    }

    public void touch() {
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
        producing.clear();
        inflight.values().forEach(Runnable::run);
        inflight.clear();
        outbound.values().forEach(f -> f.cancel(false));
        outbound.clear();
    }
}
