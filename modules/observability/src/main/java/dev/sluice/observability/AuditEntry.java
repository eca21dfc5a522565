package dev.sluice.observability;

import java.time.Instant;

/**
 * One audit record: a call (allowed or refused) or an administrative action. Arguments are stored
 * redacted and as a digest of the canonical arguments, never as sent.
 *
 * @param requestId the HTTP request's id (also in the response's {@code X-Request-Id} and the logs)
 * @param occurredAt when it started
 * @param nodeId the node that handled it (filled in by the log when null)
 * @param subject who (token subject or API key owner); null when unauthenticated
 * @param role the caller's role
 * @param apiKeyId the API key used, or null
 * @param organisation the caller's organisation, or null
 * @param channel {@code mcp}, {@code rest} or {@code sse}
 * @param action {@code tools/call}, {@code resources/read}, {@code prompts/get}, {@code authenticate},
 *     {@code api-keys/create}, {@code cache/invalidate} …
 * @param server the upstream server, or null
 * @param target the tool, prompt or resource, or the object of an admin action
 * @param argumentDigest SHA-256 of the canonical arguments, or null
 * @param argumentsRedacted the arguments with secrets masked, cut to 8000 characters, or null
 * @param outcome {@code ok}, {@code denied}, {@code invalid}, {@code unauthenticated}, {@code rate-limited},
 *     {@code error}
 * @param errorType the error's slug ({@code forbidden}, {@code upstream-timeout} …), or null
 * @param durationMicros how long it took
 * @param cacheHit whether the result came from the cache
 * @param clientAddress the client's address
 */
public record AuditEntry(String requestId, Instant occurredAt, String nodeId, String subject, String role,
        String apiKeyId, String organisation, String channel, String action, String server, String target,
        String argumentDigest, String argumentsRedacted, String outcome, String errorType, long durationMicros,
        boolean cacheHit, String clientAddress) {
}
