package dev.sluice.registry.internal;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pooled HTTP client every HTTP upstream shares: connections are kept alive and reused across
 * calls and upstreams. HTTP/1.1, because MCP servers commonly refuse an h2c upgrade.
 */
final class HttpClients {
    private static final AtomicInteger THREADS = new AtomicInteger();
    static final ExecutorService STREAMS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sluice-upstream-http-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    static final HttpClient SHARED = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(STREAMS)
            .build();

    private HttpClients() {
    }
}
