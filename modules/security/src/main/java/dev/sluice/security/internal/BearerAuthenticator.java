package dev.sluice.security.internal;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.sluice.core.Caller;
import dev.sluice.security.ApiKey;
import dev.sluice.security.Authenticator;
import dev.sluice.core.Role;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperties;

/**
 * The {@link Authenticator}: {@code Authorization: Bearer sk-sluice-…} or {@code X-API-Key} is an API
 * key; any other bearer value is a MicroProfile JWT. The JWT settings use MicroProfile JWT's own
 * configuration keys ({@code mp.jwt.verify.*}); tokens are verified in the application (see design
 * record 0006) so that MCP and REST share one path, one error format and API keys.
 *
 * <p>A token's role comes from its role claim ({@code groups} by default, as MicroProfile JWT defines
 * it) through the explicit map {@code sluice.security.jwt.role-map} ({@code sluice-admins=admin,...}):
 * the highest role any of the claim's values maps to; a value the map does not name gives no role,
 * whatever it is called (a group named {@code admin} is not the admin role unless mapped). A token
 * none of whose values maps gets {@code sluice.security.jwt.default-role}, or is refused (reason
 * {@code no-role}) when that is {@code none}. Its groups are the claim's values. Its subject is
 * {@code upn}, else {@code preferred_username}, else {@code sub}.
 *
 * <p>A bearer value or {@code X-API-Key} that cannot be a Sluice API key
 * ({@link Authenticator#plausibleApiKey}) is refused without a database lookup.
 */
@ApplicationScoped
public class BearerAuthenticator implements Authenticator {
    private static final int MAX_CACHED_TOKENS = 10_000;

    @Inject
    JpaApiKeys apiKeys;

    @Inject
    @ConfigProperties
    JwtVerification jwt;

    @Inject
    @ConfigProperties
    SecuritySettings settings;

    /** The value that makes tokens without a mapped role be refused instead of given a default. */
    static final String NO_DEFAULT_ROLE = "none";
    private static final Logger LOG = Logger.getLogger(BearerAuthenticator.class.getName());

    private Map<String, Role> roleMap = Map.of();
    private Role fallbackRole;

    private JwtVerifier verifier;
    private final Map<String, CachedToken> tokens = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    private record CachedToken(Caller caller, Instant validUntil) {
    }

    @PostConstruct
    void init() {
        roleMap = roleMap(settings.roleMapping.orElse(""));
        fallbackRole = NO_DEFAULT_ROLE.equalsIgnoreCase(settings.defaultRole.strip()) ? null : Role.parse(settings.defaultRole.strip());
        JwtVerifier.Settings verification = new JwtVerifier.Settings(jwt.publicKey.orElse(null),
                jwt.publicKeyLocation.orElse(null),
                jwt.algorithms.map(l -> l.stream().map(String::strip).collect(Collectors.toSet())).orElse(Set.of()),
                jwt.issuer.orElse(null), jwt.audiences.map(Set::copyOf).orElse(Set.of()),
                Duration.ofSeconds(jwt.clockSkewSeconds), Duration.ofSeconds(jwt.tokenAgeSeconds));
        if (verification.configured()) {
            verifier = new JwtVerifier(verification, clock);
            if (verification.audiences().isEmpty()) {
                LOG.info("mp.jwt.verify.audiences is not set: a token's audience must be this gateway's resource URL "
                        + "(sluice.security.public-url + /mcp, else the URL the client reached)");
            }
            if (roleMap.isEmpty()) {
                LOG.warning("sluice.security.jwt.role-map is not set: every valid token gets the default role ("
                        + settings.defaultRole + "), whatever its " + settings.roleClaim + " claim says");
            }
        }
    }

    /**
     * Parses {@code group=role,group=role}: each identity-provider value to the Sluice role it grants.
     *
     * @throws IllegalArgumentException naming the entry, when one is not {@code value=role} or names no role
     */
    static Map<String, Role> roleMap(String text) {
        Map<String, Role> map = new HashMap<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.lastIndexOf('=');
            if (eq <= 0 || entry.substring(0, eq).isBlank()) {
                throw new IllegalArgumentException("sluice.security.jwt.role-map: '" + entry.strip()
                        + "' is not 'value=role'");
            }
            map.put(entry.substring(0, eq).strip(), Role.parse(entry.substring(eq + 1).strip()));
        }
        return Map.copyOf(map);
    }

    @Override
    public List<String> authorizationServers() {
        return verifier == null ? List.of() : jwt.issuer.map(List::of).orElse(List.of());
    }

    @Override
    public Optional<Caller> authenticate(String authorization, String apiKeyHeader, Set<String> resources) {
        if (apiKeyHeader != null && !apiKeyHeader.isBlank()) {
            return Optional.of(fromApiKey(apiKeyHeader.strip()));
        }
        if (authorization == null || authorization.isBlank()) {
            return Optional.empty();
        }
        String value = authorization.strip();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw Authenticator.refused("scheme", "the Authorization header must use the Bearer scheme");
        }
        String credential = value.substring(7).strip();
        if (credential.isEmpty()) {
            throw Authenticator.refused("malformed", "the bearer credential is empty");
        }
        if (credential.startsWith(API_KEY_PREFIX)) {
            return Optional.of(fromApiKey(credential));
        }
        return Optional.of(fromToken(credential, resources == null ? Set.of() : resources));
    }

    private Caller fromApiKey(String secret) {
        if (!Authenticator.plausibleApiKey(secret)) {
            // no Sluice key looks like this: no lookup, no cost
            throw Authenticator.refused("malformed", "the API key is not valid");
        }
        ApiKey key = apiKeys.authenticate(secret);
        return new Caller(key.owner(), key.role(), null, Set.of(), key.id(), key.toolScope());
    }

    private Caller fromToken(String token, Set<String> resources) {
        if (verifier == null) {
            throw Authenticator.refused("jwt-not-configured", "bearer tokens are not accepted here (no JWT key is configured); "
                    + "use an API key");
        }
        // the accepted audiences depend on the resource when none are configured: one entry per resource
        String digest = sha256(jwt.audiences.filter(a -> !a.isEmpty()).isPresent() ? token
                : token + "\n" + String.join("\n", new TreeSet<>(resources)));
        Instant now = clock.instant();
        CachedToken cached = tokens.get(digest);
        if (cached != null && cached.validUntil().isAfter(now)) {
            return cached.caller();
        }
        JWTClaimsSet claims = verifier.verify(token, resources);
        Caller caller = caller(claims);
        Instant until = now.plus(Duration.ofMinutes(5));
        Instant expiry = claims.getExpirationTime().toInstant();
        if (claims.getIssueTime() != null) {
            Instant ageLimit = claims.getIssueTime().toInstant().plusSeconds(jwt.tokenAgeSeconds);
            expiry = expiry.isBefore(ageLimit) ? expiry : ageLimit;
        }
        if (tokens.size() >= MAX_CACHED_TOKENS) {
            tokens.entrySet().removeIf(e -> !e.getValue().validUntil().isAfter(now));
            if (tokens.size() >= MAX_CACHED_TOKENS) {
                tokens.clear();
            }
        }
        tokens.put(digest, new CachedToken(caller, until.isBefore(expiry) ? until : expiry));
        return caller;
    }

    Caller caller(JWTClaimsSet claims) {
        String subject = firstString(claims, "upn", "preferred_username", "sub");
        if (subject == null || subject.isBlank()) {
            throw Authenticator.refused("subject", "the token names no subject (upn, preferred_username or sub)");
        }
        Set<String> values = new LinkedHashSet<>(strings(claims.getClaim(settings.roleClaim)));
        Role role = null;
        for (String v : values) {
            Role r = roleMap.get(v); // only what the map names: a group called "admin" is just a group
            if (r != null) {
                role = role == null || r.includes(role) ? r : role;
            }
        }
        if (role == null && fallbackRole == null) {
            throw Authenticator.refused("no-role", "the token's " + settings.roleClaim + " claim names no group that "
                    + "sluice.security.jwt.role-map grants a role");
        }
        Set<String> groups = new LinkedHashSet<>(values);
        if (!"groups".equals(settings.roleClaim)) {
            groups.addAll(strings(claims.getClaim("groups")));
        }
        String organisation = firstString(claims, settings.organisationClaim);
        return new Caller(subject, (role == null ? fallbackRole : role).id(), organisation, groups, null, Set.of());
    }

    private static String firstString(JWTClaimsSet claims, String... names) {
        for (String name : names) {
            try {
                String value = claims.getStringClaim(name);
                if (value != null && !value.isBlank()) {
                    return value;
                }
            } catch (ParseException e) {
                // not a string: try the next one
            }
        }
        return null;
    }

    private static List<String> strings(Object claim) {
        List<String> out = new ArrayList<>();
        if (claim instanceof String s) {
            out.addAll(Arrays.asList(s.split("[\\s,]+")));
        } else if (claim instanceof Collection<?> c) {
            c.forEach(v -> out.add(String.valueOf(v)));
        }
        out.removeIf(String::isBlank);
        return out;
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
