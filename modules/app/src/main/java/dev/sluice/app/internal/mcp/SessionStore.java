package dev.sluice.app.internal.mcp;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The MCP sessions of this node. Ids are 128 random bits; a session unused for
 * {@code sluice.mcp.session-idle-timeout} is ended. (Sessions that survive their node, through
 * Redis, come with the scale-out work.)
 */
@ApplicationScoped
public class SessionStore {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    @ConfigProperty(name = "sluice.mcp.session-idle-timeout", defaultValue = "PT1H")
    Duration idleTimeout;

    private final Map<String, McpSession> sessions = new ConcurrentHashMap<>();
    /** Sessions of the legacy HTTP+SSE transport, reachable only through /messages. */
    private final Map<String, McpSession> legacy = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sluice-session-sweeper");
        t.setDaemon(true);
        return t;
    });

    public SessionStore() {
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.MINUTES);
    }

    static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    void add(McpSession session) {
        sessions.put(session.id(), session);
    }

    Optional<McpSession> find(String id) {
        McpSession s = id == null ? null : sessions.get(id);
        if (s != null) {
            s.touch();
        }
        return Optional.ofNullable(s);
    }

    boolean remove(String id) {
        McpSession s = sessions.remove(id);
        if (s != null) {
            s.close();
        }
        return s != null;
    }

    Collection<McpSession> all() {
        java.util.List<McpSession> all = new java.util.ArrayList<>(sessions.values());
        all.addAll(legacy.values());
        return all;
    }

    void addLegacy(McpSession session) {
        legacy.put(session.id(), session);
    }

    Optional<McpSession> findLegacy(String id) {
        McpSession s = id == null ? null : legacy.get(id);
        if (s != null) {
            s.touch();
        }
        return Optional.ofNullable(s);
    }

    void removeLegacy(String id) {
        McpSession s = legacy.remove(id);
        if (s != null) {
            s.close();
        }
    }

    public int count() {
        return sessions.size();
    }

    private void sweep() {
        long limit = idleTimeout.toNanos();
        sessions.values().removeIf(s -> {
            if (s.idleNanos() > limit) {
                s.close();
                return true;
            }
            return false;
        });
    }

    @PreDestroy
    void stop() {
        sweeper.shutdownNow();
        sessions.values().forEach(McpSession::close);
        sessions.clear();
        legacy.values().forEach(McpSession::close);
        legacy.clear();
    }
}
