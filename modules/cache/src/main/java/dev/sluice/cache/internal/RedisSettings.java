package dev.sluice.cache.internal;

import java.time.Duration;

/**
 * Where the shared Redis is and how to talk to it ({@code sluice.cache.redis.*}).
 *
 * @param host host name; null or blank: no Redis (everything in-process)
 * @param namespace prefix of every key Sluice writes, so that clusters can share one Redis
 * @param timeout connect and read timeout: a slow Redis must not hold a call
 * @param retryInterval how often an unreachable Redis is probed
 */
public record RedisSettings(String host, int port, String user, String password, int database, boolean ssl,
        Duration timeout, int poolSize, String namespace, Duration retryInterval) {

    public boolean configured() {
        return host != null && !host.isBlank();
    }

    /** host:port, for logs and health (never the password). */
    public String address() {
        return host + ":" + port;
    }
}
