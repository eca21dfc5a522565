package dev.sluice.app.internal.mcp.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.AesKeyRing;
import dev.sluice.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Session ids that carry what never changes about their session, sealed with AES-256-GCM: any node
 * that holds the key can rebuild the session from its id alone, and nobody without it can read or
 * forge one. The first key seals; every key opens, so keys rotate without ending sessions. An id is
 * {@code "s1."} followed by base64url of a random 96-bit nonce and the ciphertext with its tag.
 */
final class SessionSeal {
    private static final String PREFIX = "s1.";
    /** A task id's prefix; its seal is bound to the purpose, so no session id opens as a task id or back. */
    private static final String TASK_PREFIX = "t1.";
    private static final byte[] TASK_PURPOSE = "sluice task id".getBytes(StandardCharsets.UTF_8);

    private final AesKeyRing keys;

    private SessionSeal(AesKeyRing keys) {
        this.keys = keys;
    }

    /**
     * The seal of configured keys: base64 of 32 bytes each, the first one sealing; without any, a
     * random key of this process (one node: its sessions end with it).
     *
     * @throws IllegalArgumentException naming the position of a key that is not 32 bytes of base64
     */
    static SessionSeal of(List<String> configured) {
        return new SessionSeal(AesKeyRing.of(configured, "sluice.mcp.session-keys").orElseGet(AesKeyRing::random));
    }

    /** Seals a session's lasting facts into an id. */
    String seal(ObjectNode facts) {
        byte[] sealed = keys.seal(Json.write(facts).getBytes(StandardCharsets.UTF_8));
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
    }

    /** The facts an id carries; empty when no key of this node sealed it or it was altered. */
    Optional<ObjectNode> open(String id) {
        return open(id, PREFIX, null);
    }

    /** Seals what Sluice needs to follow a task up (its upstream, tool, caller) into the id its client sees. */
    String sealTask(ObjectNode facts) {
        byte[] sealed = keys.seal(Json.write(facts).getBytes(StandardCharsets.UTF_8), TASK_PURPOSE);
        return TASK_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
    }

    /** The facts a task id carries; empty when it is not a task id sealed by a key of this node. */
    Optional<ObjectNode> openTask(String id) {
        return open(id, TASK_PREFIX, TASK_PURPOSE);
    }

    private Optional<ObjectNode> open(String id, String prefix, byte[] purpose) {
        if (id == null || !id.startsWith(prefix) || id.length() > 16_384) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(id.substring(prefix.length()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        try {
            Optional<byte[]> plain = purpose == null ? keys.open(bytes) : keys.open(bytes, purpose);
            return plain.map(Json::parse).filter(ObjectNode.class::isInstance).map(ObjectNode.class::cast);
        } catch (RuntimeException e) { // sealed by us but not JSON: not an id of ours
            return Optional.empty();
        }
    }
}
