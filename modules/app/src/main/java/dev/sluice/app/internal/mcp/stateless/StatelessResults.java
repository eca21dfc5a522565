package dev.sluice.app.internal.mcp.stateless;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.app.internal.mcp.McpDispatcher;
import dev.sluice.app.internal.mcp.TaskIds;
import dev.sluice.cache.ResultCache;
import dev.sluice.core.CacheCategory;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.ProtocolVersion;
import dev.sluice.core.SluiceVersion;
import dev.sluice.registry.VirtualServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The results a stateless (2026-07-28) client gets that a session-era one does not: the answer to
 * {@code server/discover}, and every other answer of the dispatcher with the marks the revision adds
 * ({@code resultType}, cache hints, Sluice in {@code _meta}).
 */
@ApplicationScoped
public class StatelessResults {

    @Inject
    McpDispatcher dispatcher;

    @Inject
    TaskIds taskIds;

    @Inject
    ResultCache cache;

    @Inject
    @ConfigProperty(name = "sluice.cache.enabled", defaultValue = "true")
    boolean cacheEnabled;

    /**
     * The result of {@code server/discover} (2026-07-28): the versions Sluice serves and the
     * capabilities of this endpoint (list changes and resource updates through {@code subscriptions/listen}).
     */
    ObjectNode discoverResult(VirtualServer vs) {
        ObjectNode init = dispatcher.initializeResult(ProtocolVersion.V2026_07_28, vs);
        ObjectNode result = Json.object();
        ProtocolVersion.ALL.forEach(result.putArray("supportedVersions")::add);
        ObjectNode capabilities = result.putObject("capabilities");
        capabilities.set("tools", init.path("capabilities").get("tools"));
        capabilities.set("prompts", init.path("capabilities").get("prompts"));
        capabilities.set("resources", init.path("capabilities").get("resources"));
        capabilities.putObject("logging");
        capabilities.putObject("completions");
        if (taskIds.offered(vs)) {
            capabilities.putObject("extensions").putObject(TaskIds.EXTENSION); // passed through, see task()
        }
        if (init.has("instructions")) {
            result.set("instructions", init.get("instructions"));
        }
        result.put("ttlMs", listTtlMillis()).put("cacheScope", "public");
        result.putObject("_meta").set(StatelessExchange.META_SERVER_INFO, init.get("serverInfo"));
        return result;
    }

    /**
     * Turns a session-era answer into a 2026-07-28 one: every result says {@code resultType} and names
     * Sluice in {@code _meta}; list results and {@code resources/read} carry cache hints; the resource
     * not-found code of the session era (-32002) becomes invalid params (-32602), which the revision
     * uses instead.
     */
    ObjectNode toStateless(ObjectNode answer, String method, VirtualServer vs) {
        if (answer.get("error") instanceof ObjectNode error) {
            if (error.path("code").asInt() == ErrorKind.NOT_FOUND.jsonRpcCode()) {
                error.put("code", ErrorKind.INVALID_PARAMS.jsonRpcCode());
            }
            return answer;
        }
        if (!(answer.get("result") instanceof ObjectNode result)) {
            return answer;
        }
        if (!result.has("resultType")) {
            result.put("resultType", "complete");
        }
        switch (method) {
            case "tools/list", "prompts/list", "resources/list", "resources/templates/list" -> {
                // what a list holds depends on the caller's role: never to be shared across callers
                result.put("ttlMs", listTtlMillis()).put("cacheScope", "private");
            }
            case "resources/read" -> {
                // an upstream of the stateless era may have said more; Sluice itself does not cache reads
                if (!result.has("ttlMs")) {
                    result.put("ttlMs", 0);
                }
                result.put("cacheScope", "private");
            }
            default -> {
                // other results carry no cache hints
            }
        }
        ObjectNode meta = result.get("_meta") instanceof ObjectNode m ? m : result.putObject("_meta");
        meta.set(StatelessExchange.META_SERVER_INFO, Json.object().put("name", "sluice")
                .put("version", SluiceVersion.current()));
        return answer;
    }

    /** How long a client may keep a list: the {@code schema} category's time-to-live, 0 with the cache off. */
    private long listTtlMillis() {
        return cacheEnabled ? cache.ttl(CacheCategory.SCHEMA).toMillis() : 0;
    }
}
