package dev.sluice.cache.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cache.CacheKey;
import dev.sluice.cache.CachedResult;
import dev.sluice.cache.Lookup;
import dev.sluice.cache.ResultCache;
import dev.sluice.core.CacheCategory;
import dev.sluice.core.CachePolicy;
import dev.sluice.core.Call;
import dev.sluice.core.CallKind;
import dev.sluice.core.CallResult;
import dev.sluice.core.Caller;
import dev.sluice.core.ClientChannel;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.PipelineStep;
import dev.sluice.core.SluiceException;
import dev.sluice.core.Step;
import dev.sluice.core.ToolMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The result cache step, just outside the invocation. A read tool's call is answered from the cache
 * when a fresh entry exists for the same server, tool, canonical arguments and permission scope;
 * otherwise the upstream's result is stored (unless it is a tool error or too large). A write
 * tool's call invalidates every entry of its server once it has run. When the upstream is down and
 * the tool's policy allows, a recently expired entry answers, marked stale in {@code _meta}.
 */
@ApplicationScoped
@Step(Step.Stage.CACHE)
public class CacheStep implements PipelineStep {
    /** The {@code _meta} member of a stale answer. */
    static final String META_KEY = "dev.sluice/cache";
    private static final Set<ErrorKind> UPSTREAM_DOWN = Set.of(ErrorKind.UPSTREAM_UNAVAILABLE,
            ErrorKind.UPSTREAM_TIMEOUT, ErrorKind.UPSTREAM_BUSY, ErrorKind.UNAVAILABLE);

    @Inject
    ResultCache cache;

    @Inject
    @ConfigProperty(name = "sluice.cache.enabled", defaultValue = "true")
    boolean enabled;

    /** Whether read tools are cached when the catalog says nothing. */
    @Inject
    @ConfigProperty(name = "sluice.cache.read-tools", defaultValue = "true")
    boolean readToolsByDefault;

    @Inject
    @ConfigProperty(name = "sluice.cache.stale-if-error", defaultValue = "PT0S")
    Duration defaultStaleIfError;

    private Clock clock = Clock.systemUTC();

    public CacheStep() {
    }

    CacheStep(ResultCache cache, boolean readToolsByDefault, Duration defaultStaleIfError, Clock clock) {
        this.cache = cache;
        this.enabled = true;
        this.readToolsByDefault = readToolsByDefault;
        this.defaultStaleIfError = defaultStaleIfError;
        this.clock = clock;
    }

    @Override
    public CallResult apply(Call call, Next next) {
        if (!enabled || call.kind() != CallKind.TOOL) {
            return next.proceed(call);
        }
        if (call.mode() == ToolMode.WRITE) {
            try {
                return next.proceed(call);
            } finally {
                // after the write: results looked up before it belong to the old version and are never read
                cache.invalidate(call.server(), null);
            }
        }
        CachePolicy cp = call.cachePolicy();
        if (!(cp.enabled() == null ? readToolsByDefault : cp.enabled())) {
            return next.proceed(call);
        }
        Duration ttl = cp.ttl() != null ? cp.ttl()
                : cache.ttl(cp.category() == null ? CacheCategory.DEFAULT : cp.category());
        Duration stale = cp.staleIfError() != null ? cp.staleIfError() : defaultStaleIfError;
        CacheKey key = CacheKey.ofCanonical(call.server(), call.target(),
                scope(call.caller(), cp.scope(), call.policy().namesUsers()), call.canonicalArguments());
        Lookup lookup = cache.lookup(key, stale);
        Instant now = clock.instant();
        CachedResult found = lookup.entry();
        if (found != null && found.isFresh(now)) {
            return CallResult.of(found.result()).withCache(CallResult.Cache.HIT);
        }
        CallResult result;
        InteractionWatch watch = new InteractionWatch(call.channel());
        try {
            result = next.proceed(call.withChannel(watch));
        } catch (SluiceException e) {
            if (found != null && UPSTREAM_DOWN.contains(e.kind())) {
                cache.staleServed(key);
                return CallResult.of(markStale(found, now, e)).withCache(CallResult.Cache.STALE);
            }
            throw e;
        }
        // a result made with the client's help (sampling, elicitation, its roots, progress) is this
        // client's alone: another caller's identical call must reach the upstream and the client again;
        // a task the call started is this caller's task, not a result
        if (!result.isToolError() && !watch.interacted() && !result.isTask()) {
            cache.put(lookup, result.result(), ttl, stale);
        }
        return result.withCache(CallResult.Cache.MISS);
    }

    /** The client's channel, noting whether the upstream asked the client anything or reported progress. */
    private static final class InteractionWatch implements ClientChannel {
        private final ClientChannel channel;
        private volatile boolean interacted;

        InteractionWatch(ClientChannel channel) {
            this.channel = channel;
        }

        boolean interacted() {
            return interacted;
        }

        @Override
        public void notify(ObjectNode notification) {
            if ("notifications/progress".equals(notification.path("method").asText())) {
                interacted = true;
            }
            channel.notify(notification);
        }

        @Override
        public ObjectNode request(String method, JsonNode params, Duration timeout) {
            interacted = true;
            return channel.request(method, params, timeout);
        }

        @Override
        public Map<String, ObjectNode> requestAll(Map<String, ObjectNode> requests,
                Duration timeout) {
            interacted = true;
            return channel.requestAll(requests, timeout);
        }

        @Override
        public String logLevel() {
            return channel.logLevel();
        }

        @Override
        public boolean followsTasks() {
            return channel.followsTasks();
        }

        @Override
        public ObjectNode capabilities() {
            return channel.capabilities();
        }

        @Override
        public void onCancel(Runnable action) {
            channel.onCancel(action);
        }

        @Override
        public String name() {
            return channel.name();
        }
    }

    private static ObjectNode markStale(CachedResult found, Instant now, SluiceException why) {
        ObjectNode result = found.result();
        ObjectNode meta = result.get("_meta") instanceof ObjectNode m ? m : result.putObject("_meta");
        meta.set(META_KEY, Json.object()
                .put("stale", true)
                .put("storedAt", found.storedAt().toString())
                .put("ageSeconds", found.age(now).toSeconds())
                .put("reason", why.kind().slug()));
        return result;
    }

    /**
     * Who may share an entry. The default, permission scope, is everything authorisation looks at:
     * role, organisation, groups and an API key's tool scope, and the subject too where the server's
     * rules name users. So a caller never gets an entry stored for someone who may see more.
     */
    static String scope(Caller caller, CachePolicy.Scope scope, boolean rulesNameUsers) {
        CachePolicy.Scope s = scope == null ? CachePolicy.Scope.PERMISSION : scope;
        return switch (s) {
            case PUBLIC -> "public";
            case USER -> "user\u0000" + caller.subject();
            case PERMISSION -> "permission\u0000" + caller.role() + "\u0000"
                    + (caller.organisation() == null ? "" : caller.organisation()) + "\u0000"
                    + String.join(",", new TreeSet<>(caller.groups())) + "\u0000"
                    + String.join(",", new TreeSet<>(caller.toolScope()))
                    + (rulesNameUsers ? "\u0000" + caller.subject() : "");
        };
    }
}
