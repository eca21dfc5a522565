package it.support;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** What every node of one Sluice cluster is configured with alike (the scale-out guide's table). */
public final class Cluster {
    private Cluster() {
    }

    /**
     * One database (keys, audit), one Redis, one API-key hash key, one session key and one secret-sealing key, so that any
     * node serves any client's keys and sessions.
     */
    public static Map<String, String> sharedEnvironment(PostgresDatabase database, int redisPort) {
        Map<String, String> env = new HashMap<>(database.environment());
        env.put("SLUICE_SECURITY_API_KEYS_HASH_KEY", "cluster-hash-key-" + UUID.randomUUID() + "-0123456789abcdef");
        byte[] sessionKey = new byte[32];
        new SecureRandom().nextBytes(sessionKey);
        env.put("SLUICE_MCP_SESSION_KEYS", Base64.getEncoder().encodeToString(sessionKey));
        byte[] secretsKey = new byte[32];
        new SecureRandom().nextBytes(secretsKey);
        env.put("SLUICE_SECRETS_KEYS", Base64.getEncoder().encodeToString(secretsKey));
        env.put("SLUICE_CACHE_REDIS_HOST", "127.0.0.1");
        env.put("SLUICE_CACHE_REDIS_PORT", Integer.toString(redisPort));
        return env;
    }
}
