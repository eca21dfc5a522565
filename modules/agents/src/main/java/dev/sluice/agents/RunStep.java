package dev.sluice.agents;

import java.time.Instant;

/**
 * One step of a run: a model call or a tool call.
 *
 * @param seq its place in the run, from 1
 * @param kind {@code model} or {@code tool}
 * @param startedAt when it started
 * @param durationMicros how long it took
 * @param model the model of a model call, else null
 * @param server the catalog server of a tool call, else null
 * @param tool the federated tool name of a tool call, else null
 * @param promptTokens prompt tokens of a model call, else null
 * @param completionTokens completion tokens of a model call, else null
 * @param cachedPromptTokens of a model call's prompt tokens, those read from the provider's prompt cache, else null
 * @param outcome {@code tool_calls}, {@code answer}, {@code ok}, {@code error}, {@code refused} …
 * @param detail what a reader needs: the tool's arguments and the start of its result, the model's words
 */
public record RunStep(int seq, String kind, Instant startedAt, long durationMicros, String model, String server,
        String tool, Long promptTokens, Long completionTokens, Long cachedPromptTokens, String outcome, String detail) {
}
