package dev.sluice.security;

/**
 * A key just created or rotated: the only moment its secret value exists outside the client.
 *
 * @param key the stored description
 * @param secret the key itself, {@code sk-sluice-…}; never stored, logged or shown again
 */
public record IssuedApiKey(ApiKey key, String secret) {
    @Override
    public String toString() {
        return "IssuedApiKey[" + key.id() + "]";
    }
}
