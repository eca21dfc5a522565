package dev.sluice.app.internal.mcp.session;

import dev.sluice.cache.SharedLogs;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The events a session's streams sent, kept (bounded) so that a client reconnecting with
 * {@code Last-Event-ID} gets the events it missed on that stream and no others. With a shared Redis
 * every event is also appended to a shared log per stream, so that the client may resume on any node.
 *
 * <p>A stream id names the node that opened it and its kind: {@code <node>.g<n>} for a GET stream,
 * {@code <node>.p<n>} for the answer stream of a POST, {@code <node>.l<n>} for the legacy SSE
 * transport. An event id is {@code <stream>-<seq>}, its sequence counted by the node that sent it.
 */
public final class EventLog {
    /** One event: its id ({@code <stream>-<seq>}) and JSON data (null for a priming event). */
    record Entry(String id, String stream, String data) {
        long seq() {
            return seqOf(id);
        }
    }

    private final int capacity;
    private final SharedLogs shared;
    private final String sharedPrefix;
    private final Duration ttl;
    private final Deque<Entry> entries = new ArrayDeque<>();
    private long seq;

    /** A log of this node only. */
    public EventLog(int capacity) {
        this(capacity, null, null, null);
    }

    /** A log whose events are also shared, under {@code events:<sessionDigest>:<stream>}. */
    public EventLog(int capacity, SharedLogs shared, String sessionDigest, Duration ttl) {
        this.capacity = capacity;
        this.shared = shared != null && shared.shared() ? shared : null;
        this.sharedPrefix = "events:" + sessionDigest + ":";
        this.ttl = ttl;
    }

    /** Logs an event of {@code stream} and gives it its id. */
    String append(String stream, String data) {
        String id;
        synchronized (this) {
            id = stream + "-" + (++seq);
            entries.addLast(new Entry(id, stream, data));
            while (entries.size() > capacity) {
                entries.removeFirst();
            }
        }
        if (shared != null) { // events of one stream come one at a time (SseStream), so they land in order
            shared.append(sharedPrefix + stream, id + "\n" + (data == null ? "" : data), capacity, ttl);
        }
        return id;
    }

    /**
     * Events of the same stream after the given id, oldest first: from this node's log when it holds
     * that id, otherwise from the shared log. None when neither knows the id.
     */
    List<Entry> after(String lastEventId) {
        String stream = streamOf(lastEventId);
        Optional<List<Entry>> local = localAfter(lastEventId, stream);
        if (local.isPresent() || shared == null) {
            return local.orElse(List.of());
        }
        List<Entry> all = new ArrayList<>();
        for (String line : shared.read(sharedPrefix + stream).orElse(List.of())) {
            int nl = line.indexOf('\n');
            if (nl > 0) {
                String data = line.substring(nl + 1);
                all.add(new Entry(line.substring(0, nl), stream, data.isEmpty() ? null : data));
            }
        }
        return following(all, lastEventId, stream).orElse(List.of());
    }

    /** This node's logged events of one stream, oldest first. */
    synchronized List<Entry> entriesOf(String stream) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.stream().equals(stream)) {
                out.add(e);
            }
        }
        return out;
    }

    private synchronized Optional<List<Entry>> localAfter(String lastEventId, String stream) {
        return following(entries, lastEventId, stream);
    }

    private static Optional<List<Entry>> following(Iterable<Entry> entries, String lastEventId, String stream) {
        List<Entry> out = new ArrayList<>();
        boolean found = false;
        for (Entry e : entries) {
            if (found && e.stream().equals(stream)) {
                out.add(e);
            }
            if (e.id().equals(lastEventId)) {
                found = true;
            }
        }
        return found ? Optional.of(out) : Optional.empty();
    }

    static String streamOf(String eventId) {
        int dash = eventId == null ? -1 : eventId.lastIndexOf('-');
        return dash < 0 ? "" : eventId.substring(0, dash);
    }

    /** The sequence number of an event id; -1 when it is not one of Sluice's. */
    static long seqOf(String eventId) {
        int dash = eventId == null ? -1 : eventId.lastIndexOf('-');
        try {
            return dash < 0 ? -1 : Long.parseLong(eventId.substring(dash + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The kind of a stream id ('g', 'p' or 'l'); 0 when it is not one of Sluice's. */
    static char kindOf(String streamId) {
        int dot = streamId == null ? -1 : streamId.lastIndexOf('.');
        return dot < 0 || dot + 1 >= streamId.length() ? 0 : streamId.charAt(dot + 1);
    }

    /** Whether the event id names an event of a GET stream (rather than of a POST's answer stream). */
    static boolean ofStandaloneStream(String eventId) {
        return kindOf(streamOf(eventId)) == 'g';
    }

    /** Whether the event id names an event of some POST's answer stream. */
    static boolean ofAnswerStream(String eventId) {
        return kindOf(streamOf(eventId)) == 'p' && seqOf(eventId) >= 0;
    }
}
