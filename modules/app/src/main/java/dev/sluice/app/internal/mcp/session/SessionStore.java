package dev.sluice.app.internal.mcp.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.internal.mcp.McpSettings;
import dev.sluice.app.internal.mcp.relay.StreamRelay;
import dev.sluice.cache.SharedMarks;
import dev.sluice.core.Caller;
import dev.sluice.core.Json;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperties;

/**
 * The MCP sessions (session era) this node knows, and the way to every other node's: a session's id
 * is sealed ({@link SessionSeal}) with what never changes about it, so any node with the same keys
 * rebuilds a session it never saw; whether it ended (DELETE) and whether it was used within
 * {@code sluice.mcp.session-idle-timeout} are {@link SharedMarks}, in Redis when the cache has one.
 * A node checks them at most once per {@link #RECHECK} for a session it holds, so a DELETE on one
 * node holds on the others within that time. See design record 0008.
 */
@ApplicationScoped
public class SessionStore {
    static final Duration RECHECK = Duration.ofSeconds(1);

    @Inject
    @ConfigProperties
    McpSettings mcp;

    @Inject
    SharedMarks marks;

    @Inject
    StreamRelay relay;

    private volatile SessionSeal seal;

    private final Map<String, McpSession> sessions = new ConcurrentHashMap<>();
    /** The same sessions by the digest of their id, which names them in messages between nodes. */
    private final Map<String, McpSession> byDigest = new ConcurrentHashMap<>();
    /** Sessions of the legacy HTTP+SSE transport, reachable only through /messages. */
    private final Map<String, McpSession> legacy = new ConcurrentHashMap<>();

    /** The container's default managed scheduler, on which idle sessions are swept. */
    @Resource
    ManagedScheduledExecutorService scheduler;

    private volatile ScheduledFuture<?> sweeping;

    @PostConstruct
    void start() {
        sweepOn(scheduler);
    }

    /** Sweeps idle sessions once a minute on {@code on}: the managed scheduler, a plain one in unit tests. */
    void sweepOn(ScheduledExecutorService on) {
        sweeping = on.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.MINUTES);
    }

    private SessionSeal seal() {
        SessionSeal current = seal;
        if (current == null) {
            synchronized (this) {
                if (seal == null) {
                    seal = SessionSeal.of(mcp.sessionKeys.orElse(List.of()));
                }
                current = seal;
            }
        }
        return current;
    }

    /** A new session's id, sealing what never changes about it. */
    String newSessionId(String version, String virtualServer, ObjectNode capabilities, ObjectNode clientInfo,
            String subject) {
        ObjectNode facts = Json.object().put("v", version).put("s", virtualServer).put("u", subject)
                .put("t", System.currentTimeMillis());
        facts.set("c", capabilities == null ? Json.object() : capabilities);
        if (clientInfo != null) { // name and version only: the rest (icons, say) would swell every request
            ObjectNode info = facts.putObject("i");
            if (clientInfo.hasNonNull("name")) {
                info.set("name", clientInfo.get("name"));
            }
            if (clientInfo.hasNonNull("version")) {
                info.set("version", clientInfo.get("version"));
            }
        }
        return seal().seal(facts);
    }

    /** A task id for a client: the facts sealed with the session keys, so that every node can open it. */
    public String sealTask(ObjectNode facts) {
        return seal().sealTask(facts);
    }

    /** The facts of a task id {@link #sealTask} made; empty for anything else. */
    public Optional<ObjectNode> openTask(String id) {
        return seal().openTask(id);
    }

    void add(McpSession session) {
        relay.share(session);
        sessions.put(session.id(), session);
        byDigest.put(session.digest(), session);
        marks.put(seenMark(session.digest()), mcp.sessionIdleTimeout);
        session.checked(System.nanoTime());
    }

    /**
     * The session an id names: this node's, or rebuilt from its sealed id. Empty when it ended, went
     * unused too long, or no key here sealed it.
     */
    Optional<McpSession> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        long now = System.nanoTime();
        McpSession s = sessions.get(id);
        if (s != null) {
            s.touch();
            if (now - s.checked() > RECHECK.toNanos()) {
                s.checked(now);
                if (ended(s.digest())) {
                    forget(s);
                    return Optional.empty();
                }
                marks.put(seenMark(s.digest()), mcp.sessionIdleTimeout);
            }
            return Optional.of(s);
        }
        Optional<ObjectNode> facts = seal().open(id);
        String digest = digest(id);
        if (facts.isEmpty() || ended(digest) || marks.present(seenMark(digest)).orElse(true) == Boolean.FALSE) {
            return Optional.empty();
        }
        ObjectNode f = facts.get();
        McpSession rebuilt = new McpSession(id, f.path("s").asText(), f.path("v").asText(),
                f.get("c") instanceof ObjectNode c ? c : null, f.get("i") instanceof ObjectNode i ? i : null,
                new Caller(f.path("u").asText(), "viewer", null, Set.of(), null, Set.of()));
        relay.share(rebuilt);
        McpSession raced = sessions.putIfAbsent(id, rebuilt);
        McpSession found = raced == null ? rebuilt : raced;
        byDigest.putIfAbsent(found.digest(), found);
        found.checked(now);
        marks.put(seenMark(digest), mcp.sessionIdleTimeout);
        return Optional.of(found);
    }

    /** Ends a session on every node: DELETE. */
    boolean remove(String id) {
        McpSession s = sessions.get(id);
        if (s != null) {
            forget(s);
        }
        marks.put(endedMark(s != null ? s.digest() : digest(id)), mcp.sessionIdleTimeout);
        return s != null;
    }

    /** Drops a session from this node (it may live on elsewhere unless it ended). */
    private void forget(McpSession s) {
        sessions.remove(s.id(), s);
        byDigest.remove(s.digest(), s);
        s.close();
    }

    /** This node's session whose id has that digest. */
    public Optional<McpSession> byDigest(String digest) {
        return Optional.ofNullable(byDigest.get(digest));
    }

    /** Marks are named by a digest of the session id ({@link McpSession#digest()}). */
    private boolean ended(String digest) {
        return marks.present(endedMark(digest)).orElse(false);
    }

    private static String endedMark(String digest) {
        return "session-ended:" + digest;
    }

    private static String seenMark(String digest) {
        return "session-seen:" + digest;
    }

    /** Marks are named by a digest of the id, which is long and a credential of sorts. */
    static String digest(String id) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(
                    id.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 18));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Collection<McpSession> all() {
        List<McpSession> all = new ArrayList<>(sessions.values());
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

    /** Forgets sessions unused here for the idle timeout; another node may still serve them. */
    private void sweep() {
        long limit = mcp.sessionIdleTimeout.toNanos();
        sessions.values().stream().filter(s -> s.idleNanos() > limit).toList().forEach(this::forget);
    }

    @PreDestroy
    void stop() {
        ScheduledFuture<?> sweep = sweeping;
        if (sweep != null) {
            sweep.cancel(false); // a managed scheduler is the container's to shut down, not ours
        }
        sessions.values().forEach(McpSession::close);
        sessions.clear();
        byDigest.clear();
        legacy.values().forEach(McpSession::close);
        legacy.clear();
    }
}
