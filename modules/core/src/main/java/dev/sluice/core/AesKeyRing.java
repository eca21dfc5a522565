package dev.sluice.core;

import java.nio.ByteBuffer;
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
 * AES-256-GCM with rotating keys: the first key seals, every key opens, so a new key can be put first
 * while what the old one sealed still opens. Sealed bytes are a random 96-bit nonce followed by the
 * ciphertext and its 128-bit tag; anything altered does not open.
 */
public final class AesKeyRing {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<SecretKey> keys;

    private AesKeyRing(List<SecretKey> keys) {
        this.keys = List.copyOf(keys);
    }

    /**
     * The ring of configured keys (base64 of 32 bytes each; blank entries skipped).
     *
     * @param setting the configuration key they come from, named in errors
     * @return empty when no key is configured
     * @throws IllegalArgumentException naming the setting and the position of a key that is not 32
     *     bytes of base64 (never the key)
     */
    public static Optional<AesKeyRing> of(List<String> configured, String setting) {
        List<SecretKey> keys = new ArrayList<>();
        for (int i = 0; i < configured.size(); i++) {
            String text = configured.get(i) == null ? "" : configured.get(i).strip();
            if (text.isEmpty()) {
                continue;
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(setting + ": key " + (i + 1) + " is not base64");
            }
            if (bytes.length != 32) {
                throw new IllegalArgumentException(setting + ": key " + (i + 1) + " has " + bytes.length
                        + " bytes; AES-256 needs 32 (openssl rand -base64 32)");
            }
            keys.add(new SecretKeySpec(bytes, "AES"));
        }
        return keys.isEmpty() ? Optional.empty() : Optional.of(new AesKeyRing(keys));
    }

    /** A ring of one new random key. */
    public static AesKeyRing random() {
        return new AesKeyRing(List.of(new SecretKeySpec(randomKey(), "AES")));
    }

    /** 32 random bytes, for a new key. */
    public static byte[] randomKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    /** Seals bytes with the first key. */
    public byte[] seal(byte[] plain) {
        return seal(plain, null);
    }

    /** The bytes one of the keys sealed without associated data; empty when none did or they were altered. */
    public Optional<byte[]> open(byte[] sealed) {
        return open(sealed, null);
    }

    /**
     * Seals bytes with the first key, bound to {@code associated} (authenticated, not stored): they
     * open only with the same associated data, so a copy taken elsewhere opens nowhere else.
     */
    public byte[] seal(byte[] plain, byte[] associated) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(0), new GCMParameterSpec(TAG_BITS, nonce));
            if (associated != null) {
                cipher.updateAAD(associated);
            }
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The bytes one of the keys sealed with this associated data; empty when none did or they were altered. */
    public Optional<byte[]> open(byte[] sealed, byte[] associated) {
        if (sealed == null || sealed.length <= NONCE_BYTES + TAG_BITS / 8) {
            return Optional.empty();
        }
        for (SecretKey key : keys) {
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
                if (associated != null) {
                    cipher.updateAAD(associated);
                }
                return Optional.of(cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES));
            } catch (GeneralSecurityException e) {
                // not this key's, or altered: try the next
            }
        }
        return Optional.empty();
    }
}
