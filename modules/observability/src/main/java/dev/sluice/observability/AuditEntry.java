package dev.sluice.observability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Call;
import dev.sluice.core.Caller;
import dev.sluice.core.Json;
import dev.sluice.core.Redactor;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

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

    /**
     * The record of a call through the pipeline, under its request's id: the caller, the call's kind as
     * its action, its arguments redacted and digested.
     */
    public static AuditEntry ofCall(Call call, Instant started, String outcome, String errorType, long durationMicros,
            boolean cacheHit) {
        Caller caller = call.caller();
        JsonNode arguments = call.auditedArguments();
        return new AuditEntry(call.requestId(), started, null, caller.subject(), caller.role(), caller.apiKeyId(),
                caller.organisation(), call.channel().name(), call.kind().method(), call.server(), call.target(),
                arguments == null ? null : digest(call.canonicalArguments()),
                arguments == null ? null : Json.write(Redactor.redact(arguments)), outcome, errorType, durationMicros,
                cacheHit, null);
    }

    /**
     * The record of an administrative action that succeeded (a key created, a server disabled, a cache
     * cleared), under the request's id.
     *
     * @param channel {@code rest}, or {@code agent} for what an agent's run did
     * @param server the upstream server it concerns, or null
     * @param target what it acted on (a key id, a server, a role)
     * @param details what else to keep, as JSON text, or null
     */
    public static AuditEntry ofAction(String requestId, Caller caller, String channel, String action, String server,
            String target, String details, String clientAddress) {
        return new AuditEntry(requestId, Instant.now(), null, caller.subject(), caller.role(), caller.apiKeyId(),
                caller.organisation(), channel, action, server, target, null, details, "ok", null, 0, false,
                clientAddress);
    }

    /**
     * The record of Sluice acting on its own (a budget alert), under the id of what caused it.
     *
     * @param details what to keep, as JSON text, or null
     */
    public static AuditEntry ofSystem(String requestId, String channel, String action, String target, String details) {
        return new AuditEntry(requestId, Instant.now(), null, "sluice", "system", null, null, channel, action, null,
                target, null, details, "ok", null, 0, false, null);
    }

    /**
     * The record of a request refused before it had a caller: missing or invalid credentials, under
     * the request's id.
     *
     * @param channel {@code mcp}, {@code rest} or {@code http} (a summary of several requests)
     * @param target the path asked for, or null
     * @param reason why ({@code unknown-key}, {@code expired} …, or a summary's type)
     * @param details what else to keep, as JSON text, or null
     */
    public static AuditEntry ofRefusedAuthentication(String requestId, Instant at, String channel, String target,
            String reason, String details, String clientAddress) {
        return new AuditEntry(requestId, at, null, null, null, null, null, channel, "authenticate", null, target, null,
                details, "unauthenticated", reason, 0, false, clientAddress);
    }

    /** SHA-256 of the canonical (sorted-key) JSON of the arguments. */
    public static String digest(JsonNode arguments) {
        return digest(Json.canonicalBytes(arguments));
    }

    /** SHA-256 (hex) of arguments' canonical bytes. */
    public static String digest(byte[] canonical) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
