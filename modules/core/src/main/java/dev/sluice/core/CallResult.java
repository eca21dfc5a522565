package dev.sluice.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a call produced: the upstream's MCP result object, untouched. A tool that failed is still a
 * result ({@code isError: true}); a protocol failure is a {@link SluiceException} instead. Besides the
 * result it says what the steps did that the outer ones report: how the cache answered (counted by
 * observability) and the rate-limit headers a REST answer carries.
 *
 * @param result the MCP result ({@code CallToolResult}, {@code ReadResourceResult}, {@code GetPromptResult} …)
 * @param cache what the result cache did for the call
 * @param headers HTTP headers for a REST answer ({@code RateLimit-*}); empty when no budget applied
 */
public record CallResult(ObjectNode result, Cache cache, Map<String, String> headers) {

    /** What the result cache did for a call. */
    public enum Cache {
        /** Not looked up: not a cacheable call, or the cache is off for it. */
        NONE,
        /** A fresh stored result answered. */
        HIT,
        /** Looked up and not found (or not fresh): the upstream answered. */
        MISS,
        /** The upstream could not be reached and a stored result past its time answered. */
        STALE
    }

    public CallResult {
        Objects.requireNonNull(result, "result");
        cache = cache == null ? Cache.NONE : cache;
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** The upstream's result, as it came. */
    public static CallResult of(ObjectNode result) {
        return new CallResult(result, Cache.NONE, Map.of());
    }

    /** Whether a stored result answered instead of the upstream. */
    public boolean cached() {
        return cache == Cache.HIT || cache == Cache.STALE;
    }

    public CallResult withCache(Cache how) {
        return new CallResult(result, how, headers);
    }

    public CallResult withHeaders(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putAll(more);
        return new CallResult(result, cache, all);
    }

    /** Whether a tool reported failure ({@code isError: true}). */
    public boolean isToolError() {
        return result.path("isError").asBoolean(false);
    }

    /** Whether the upstream started a task instead of answering (a CreateTaskResult, tasks extension). */
    public boolean isTask() {
        return "task".equals(result.path("resultType").asText());
    }
}
