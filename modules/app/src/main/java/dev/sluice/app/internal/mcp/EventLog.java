package dev.sluice.app.internal.mcp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The events a session's streams sent, kept (bounded) so that a client reconnecting with
 * {@code Last-Event-ID} gets the events it missed on that stream and no others.
 */
final class EventLog {
    /** One event: its id ({@code <stream>-<seq>}) and JSON data (null for a priming event). */
    record Entry(String id, String stream, String data) {
    }

    private final int capacity;
    private final Deque<Entry> entries = new ArrayDeque<>();
    private long seq;

    EventLog(int capacity) {
        this.capacity = capacity;
    }

    synchronized String append(String stream, String data) {
        String id = stream + "-" + (++seq);
        entries.addLast(new Entry(id, stream, data));
        while (entries.size() > capacity) {
            entries.removeFirst();
        }
        return id;
    }

    /** Events of the same stream after the given id, oldest first; none when the id is unknown. */
    synchronized List<Entry> after(String lastEventId) {
        List<Entry> out = new ArrayList<>();
        String stream = streamOf(lastEventId);
        boolean found = false;
        for (Entry e : entries) {
            if (found && e.stream().equals(stream)) {
                out.add(e);
            }
            if (e.id().equals(lastEventId)) {
                found = true;
            }
        }
        return out;
    }

    static String streamOf(String eventId) {
        int dash = eventId == null ? -1 : eventId.lastIndexOf('-');
        return dash < 0 ? "" : eventId.substring(0, dash);
    }
}
