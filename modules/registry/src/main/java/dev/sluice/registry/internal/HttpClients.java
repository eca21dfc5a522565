package dev.sluice.registry.internal;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The pooled HTTP client every HTTP upstream shares: connections are kept alive and reused across
 * calls and upstreams. HTTP/1.1, because MCP servers commonly refuse an h2c upgrade. Its
 * asynchronous work runs on the executor it is given (the container's managed executor; a plain one
 * in unit tests), and the long-lived readers of event streams on {@link ReaderThreads}.
 */
final class HttpClients {
    private final HttpClient shared;
    private final ReaderThreads readers;

    HttpClients(Executor executor, ReaderThreads readers) {
        this.shared = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
        this.readers = readers;
    }

    /** The one client, shared by every HTTP upstream. */
    HttpClient shared() {
        return shared;
    }

    /** Where a stream that stays open (an SSE stream, a GET stream of unprompted messages) is read. */
    ReaderThreads readers() {
        return readers;
    }
}
