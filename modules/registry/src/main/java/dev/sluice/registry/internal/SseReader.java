package dev.sluice.registry.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Reads a text/event-stream, one event at a time (the WHATWG server-sent events format). */
final class SseReader implements AutoCloseable {

    /** One event: its type ({@code message} when unnamed), data, and id (null when absent). */
    record Event(String type, String data, String id) {
    }

    private final BufferedReader in;
    private String lastEventId;

    SseReader(InputStream stream) {
        this.in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
    }

    /** The next event with data, or null at the end of the stream. */
    Event next() throws IOException {
        String type = null;
        StringBuilder data = null;
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    return new Event(type == null ? "message" : type, data.toString(), lastEventId);
                }
                type = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> type = value;
                case "data" -> {
                    if (data == null) {
                        data = new StringBuilder(value);
                    } else {
                        data.append('\n').append(value);
                    }
                }
                case "id" -> {
                    if (!value.contains("\0")) {
                        lastEventId = value;
                    }
                }
                default -> {
                    // retry and unknown fields carry nothing Sluice needs from an upstream
                }
            }
        }
        return data == null ? null : new Event(type == null ? "message" : type, data.toString(), lastEventId);
    }

    /** The id of the last event seen on this stream, for resumption with Last-Event-ID. */
    String lastEventId() {
        return lastEventId;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
