package dev.sluice.security;

import dev.sluice.core.Caller;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.Redactor;
import dev.sluice.core.SluiceException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a request's credentials into a {@link Caller}: a MicroProfile JWT bearer token (RS256 or
 * ES256, issuer, audience, expiry and age checked) or an API key (hashed lookup, expiry, revocation,
 * rotation overlap).
 */
public interface Authenticator {

    /** How API keys start, so that a bearer value is told apart from a JWT at a glance. */
    String API_KEY_PREFIX = Redactor.API_KEY_PREFIX;

    /**
     * @param authorization the {@code Authorization} header, or null
     * @param apiKey the {@code X-API-Key} header, or null
     * @return the caller, or empty when the request carried no credentials at all
     * @throws dev.sluice.core.SluiceException {@code UNAUTHENTICATED}, naming why (expired, wrong
     *     issuer, revoked …) but never echoing the credential, when credentials are present and bad
     */
    default Optional<Caller> authenticate(String authorization, String apiKey) {
        return authenticate(authorization, apiKey, Set.of());
    }

    /**
     * As {@link #authenticate(String, String)}, for a request to a resource with these URLs: a
     * token's audience must be one of {@code mp.jwt.verify.audiences}, or, when none are configured,
     * one of these (what the protected-resource metadata advertises for the request's resource).
     */
    Optional<Caller> authenticate(String authorization, String apiKey, Set<String> resources);

    /**
     * Whether a value could be a Sluice API key at all: the prefix, then 32 to 256 visible ASCII
     * characters (generated keys have 43 base64url ones). Anything else is refused without a lookup.
     */
    static boolean plausibleApiKey(String value) {
        int length = value.length() - API_KEY_PREFIX.length();
        if (!value.startsWith(API_KEY_PREFIX) || length < 32 || length > 256) {
            return false;
        }
        for (int i = API_KEY_PREFIX.length(); i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }

    /** The issuers whose tokens are accepted, for the protected-resource metadata. */
    List<String> authorizationServers();

    /**
     * The one shape of a refused credential: {@code UNAUTHENTICATED} with {@code data.reason}.
     *
     * @param reason a stable word (expired, issuer, revoked …) clients and the audit trail can use
     * @param detail what a person reads; never the credential itself
     */
    static SluiceException refused(String reason, String detail) {
        return new SluiceException(ErrorKind.UNAUTHENTICATED, detail,
                Json.object().put("reason", reason), null);
    }
}
