package it.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a server-sent-events response the way a client does (an id and data per event, comments
 * skipped) on a thread of its own, so a test can wait for events, see their ids, and drop the
 * connection as a client that loses it would.
 */
public final class SseReader implements AutoCloseable {
    /** One event: its id (null when it had none) and its data ("" for a priming event). */
    public record Event(String id, String data) {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final HttpResponse<InputStream> response;
    private final Thread reader;

    private SseReader(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-reader");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Sends the request and reads its answer as an event stream (the status and headers are there at once). */
    public static SseReader open(HttpRequest.Builder request) {
        try {
            return new SseReader(HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new AssertionError("the request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public HttpResponse<InputStream> response() {
        return response;
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            StringBuilder data = null;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, data.toString()));
                    }
                    id = null;
                    data = null;
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("data:")) {
                    String part = line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5);
                    data = data == null ? new StringBuilder(part) : data.append('\n').append(part);
                }
            }
        } catch (IOException e) {
            // the connection was dropped: the test did it, or the server ended the stream
        }
    }

    /** The next event, waiting up to {@code seconds}; fails the test when none comes. */
    public Event next(int seconds) {
        try {
            Event e = events.poll(seconds, TimeUnit.SECONDS);
            if (e == null) {
                throw new AssertionError("no event within " + seconds + " s");
            }
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The next event with data (priming events skipped). */
    public Event nextMessage(int seconds) {
        Event e = next(seconds);
        while (e.data().isEmpty()) {
            e = next(seconds);
        }
        return e;
    }

    /** The events with data that arrive within {@code window} (priming events skipped). */
    public java.util.List<Event> drain(java.time.Duration window) {
        java.util.List<Event> out = new java.util.ArrayList<>();
        long end = System.nanoTime() + window.toNanos();
        try {
            for (long left = window.toNanos(); left > 0; left = end - System.nanoTime()) {
                Event e = events.poll(left, TimeUnit.NANOSECONDS);
                if (e != null && !e.data().isEmpty()) {
                    out.add(e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    /** Drops the connection, as a client that loses it. */
    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // already closed
        }
        reader.interrupt();
    }
}
