package dev.sluice.app.internal.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Session ids that carry what never changes about their session, sealed with AES-256-GCM: any node
 * that holds the key can rebuild the session from its id alone, and nobody without it can read or
 * forge one. The first key seals; every key opens, so keys rotate without ending sessions. An id is
 * {@code "s1."} followed by base64url of a random 96-bit nonce and the ciphertext with its tag.
 */
final class SessionSeal {
    private static final String PREFIX = "s1.";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<SecretKey> keys;

    private SessionSeal(List<SecretKey> keys) {
        this.keys = keys;
    }

    /**
     * The seal of configured keys: base64 of 32 bytes each, the first one sealing; without any, a
     * random key of this process (one node: its sessions end with it).
     *
     * @throws IllegalArgumentException naming the position of a key that is not 32 bytes of base64
     */
    static SessionSeal of(List<String> configured) {
        List<SecretKey> keys = new ArrayList<>();
        for (int i = 0; i < configured.size(); i++) {
            String text = configured.get(i).strip();
            if (text.isEmpty()) {
                continue;
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("sluice.mcp.session-keys: key " + (i + 1) + " is not base64");
            }
            if (bytes.length != 32) {
                throw new IllegalArgumentException("sluice.mcp.session-keys: key " + (i + 1) + " has " + bytes.length
                        + " bytes; AES-256 needs 32 (openssl rand -base64 32)");
            }
            keys.add(new SecretKeySpec(bytes, "AES"));
        }
        if (keys.isEmpty()) {
            byte[] random = new byte[32];
            RANDOM.nextBytes(random);
            keys.add(new SecretKeySpec(random, "AES"));
        }
        return new SessionSeal(List.copyOf(keys));
    }

    /** Seals a session's lasting facts into an id. */
    String seal(ObjectNode facts) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(0), new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(Json.write(facts).getBytes(StandardCharsets.UTF_8));
            ByteBuffer out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed);
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The facts an id carries; empty when no key of this node sealed it or it was altered. */
    Optional<ObjectNode> open(String id) {
        if (id == null || !id.startsWith(PREFIX) || id.length() > 16_384) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(id.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (bytes.length <= NONCE_BYTES + TAG_BITS / 8) {
            return Optional.empty();
        }
        for (SecretKey key : keys) {
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
                byte[] plain = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
                JsonNode facts = Json.parse(plain);
                if (facts instanceof ObjectNode o) {
                    return Optional.of(o);
                }
                return Optional.empty();
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this key's, or altered: try the next
            }
        }
        return Optional.empty();
    }
}
