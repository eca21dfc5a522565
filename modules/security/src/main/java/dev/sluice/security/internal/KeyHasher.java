package dev.sluice.security.internal;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes API keys and their keyed hashes (HMAC-SHA-256 under a key that lives outside the
 * database), so that a copy of the database alone lets no one use or recognise a key.
 */
final class KeyHasher {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key;
    /** One initialised MAC per thread: looking one up and keying it costs more than hashing a key. */
    private final ThreadLocal<Mac> macs;

    KeyHasher(byte[] hashKey) {
        if (hashKey.length < 32) {
            throw new IllegalArgumentException("the API key hash key must be at least 32 bytes");
        }
        this.key = new SecretKeySpec(hashKey, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA-256 is unavailable", e);
        }
    }

    /** A new key: the prefix then 32 random bytes, base64url. */
    static String newSecret(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] newHashKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    String hash(String secret) {
        // doFinal resets the MAC for the next use on this thread
        return HexFormat.of().formatHex(macs.get().doFinal(secret.getBytes(StandardCharsets.UTF_8)));
    }

    /** Compares in constant time. */
    boolean matches(String secret, String storedHash) {
        return MessageDigest.isEqual(hash(secret).getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
    }
}
