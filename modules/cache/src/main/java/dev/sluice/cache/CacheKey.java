package dev.sluice.cache;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The identity of one cached result: the server, the tool, and a digest of the caller's permission
 * scope and the canonical JSON of the arguments (so key order and whitespace do not matter, and
 * neither the arguments nor the scope are stored in clear).
 *
 * @param server catalog name of the upstream
 * @param tool the upstream's own tool name
 * @param digest SHA-256 (hex) of scope and canonical arguments
 */
public record CacheKey(String server, String tool, String digest) {
    private static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);

    public CacheKey {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(digest, "digest");
    }

    /**
     * @param scope who may share the entry (see {@link dev.sluice.core.CachePolicy.Scope}); callers
     *     with different scopes never share an entry
     * @param arguments the tool's arguments, in any member order
     */
    public static CacheKey of(String server, String tool, String scope, JsonNode arguments) {
        return ofCanonical(server, tool, scope, Json.canonicalBytes(arguments == null ? Json.object() : arguments));
    }

    /** The same from the arguments' canonical bytes ({@link dev.sluice.core.Call#canonicalArguments()}). */
    public static CacheKey ofCanonical(String server, String tool, String scope, byte[] canonicalArguments) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha.update(scope.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(canonicalArguments == null ? EMPTY : canonicalArguments);
        return new CacheKey(server, tool, HexFormat.of().formatHex(sha.digest()));
    }
}
