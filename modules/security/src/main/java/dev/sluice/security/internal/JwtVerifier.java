package dev.sluice.security.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.SluiceException;
import dev.sluice.security.Authenticator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


/**
 * Verifies MicroProfile JWT bearer tokens: the signature (RS256 or ES256 only, by a key from a PEM,
 * a JWKS document or a JWKS URL), then issuer, audience, expiry, not-before and age, with a bounded
 * clock skew. The audience is always required: one of {@code mp.jwt.verify.audiences}, else the URL
 * of the resource the token is presented to (the MCP authorization specification: tokens are issued
 * for this resource). Unsigned tokens ({@code alg: none}) and HMAC tokens are refused whatever they claim:
 * with asymmetric keys configured, an HS256 token "signed" with the public key is a forgery.
 */
public final class JwtVerifier {

    /** What {@link JwtVerifier} needs to know; the names follow MicroProfile JWT's configuration keys. */
    public record Settings(String publicKey, String publicKeyLocation, Set<String> algorithms, String issuer,
            Set<String> audiences, Duration clockSkew, Duration maxAge) {
        public Settings {
            algorithms = algorithms == null || algorithms.isEmpty() ? Set.of("RS256", "ES256") : Set.copyOf(algorithms);
            audiences = audiences == null ? Set.of() : Set.copyOf(audiences);
        }

        public boolean configured() {
            return (publicKey != null && !publicKey.isBlank()) || (publicKeyLocation != null && !publicKeyLocation.isBlank());
        }
    }

    private static final Set<String> ALLOWED = Set.of("RS256", "ES256");
    private static final Pattern PEM_BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

    private final Settings settings;
    private final DefaultJWTProcessor<SecurityContext> processor;
    private final Clock clock;

    public JwtVerifier(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        for (String alg : settings.algorithms()) {
            if (!ALLOWED.contains(alg)) {
                throw new IllegalArgumentException("mp.jwt.verify.publickey.algorithm: '" + alg
                        + "' is not accepted; use RS256 and/or ES256");
            }
        }
        if (settings.issuer() == null || settings.issuer().isBlank()) {
            throw new IllegalArgumentException("mp.jwt.verify.issuer must be set when a JWT key is configured");
        }
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        settings.algorithms().forEach(a -> algorithms.add(JWSAlgorithm.parse(a)));
        processor = new DefaultJWTProcessor<>();
        JWKSource<SecurityContext> keys = keySource(settings);
        processor.setJWSKeySelector(keys instanceof ImmutableJWKSet ? new ConfiguredKeySelector(algorithms, keys)
                : new JWSVerificationKeySelector<>(algorithms, keys));
        // claims are checked below, with messages that say which one failed
        processor.setJWTClaimsSetVerifier((claims, context) -> {
        });
    }

    /**
     * For keys given in configuration (inline or a file): every key of the token's type and curve is
     * tried, whatever key id the token names. A PEM key has no id, and identity providers put one in
     * every token, so matching by id would refuse them all; every configured key is trusted alike.
     */
    private static final class ConfiguredKeySelector extends JWSVerificationKeySelector<SecurityContext> {
        ConfiguredKeySelector(Set<JWSAlgorithm> algorithms, JWKSource<SecurityContext> keys) {
            super(algorithms, keys);
        }

        @Override
        protected JWKMatcher createJWKMatcher(JWSHeader header) {
            JWKMatcher matcher = super.createJWKMatcher(header);
            return matcher == null ? null : new JWKMatcher.Builder(matcher).keyIDs((Set<String>) null)
                    .x509CertSHA256Thumbprints((Set<Base64URL>) null).build();
        }
    }

    private static JWKSource<SecurityContext> keySource(Settings settings) {
        String inline = settings.publicKey();
        String location = settings.publicKeyLocation();
        try {
            if (inline != null && !inline.isBlank()) {
                return new ImmutableJWKSet<>(parseKeys(inline));
            }
            if (location.startsWith("https://") || location.startsWith("http://")) {
                return JWKSourceBuilder.create(URI.create(location).toURL())
                        .cache(Duration.ofMinutes(15).toMillis(), Duration.ofSeconds(15).toMillis())
                        .rateLimited(Duration.ofSeconds(30).toMillis())
                        .refreshAheadCache(true)
                        .retrying(true)
                        .build();
            }
            String path = location.startsWith("file:") ? URI.create(location).getPath() : location;
            return new ImmutableJWKSet<>(parseKeys(Files.readString(Path.of(path))));
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("mp.jwt.verify.publickey.location is not a URL: " + location, e);
        } catch (IOException e) {
            throw new IllegalArgumentException("mp.jwt.verify.publickey.location cannot be read: " + location, e);
        }
    }

    /** A JWKS document, a single JWK, or one or more PEM public keys (or certificates). */
    static JWKSet parseKeys(String text) {
        String trimmed = text.strip();
        try {
            if (trimmed.startsWith("{")) {
                // JWKSet.parse refuses a lone JWK ("keys" missing), so look before choosing
                Map<String, Object> json = JSONObjectUtils.parse(trimmed);
                List<JWK> keys = !json.containsKey("keys") && json.containsKey("kty") ? List.of(JWK.parse(json))
                        : JWKSet.parse(json).getKeys();
                // only the public parts; a symmetric key has none and is dropped
                return new JWKSet(keys.stream().map(JWK::toPublicJWK).filter(Objects::nonNull).toList());
            }
            // JWK.parseFromPEMEncodedObjects needs BouncyCastle, which Sluice does not ship: decode with the JDK
            List<JWK> keys = new ArrayList<>();
            Matcher block = PEM_BLOCK.matcher(trimmed);
            while (block.find()) {
                keys.add(pemKey(block.group(1), Base64.getMimeDecoder().decode(block.group(2))));
            }
            if (keys.isEmpty()) {
                throw new ParseException("no JSON document and no PEM block", 0);
            }
            return new JWKSet(keys);
        } catch (ParseException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the JWT verification key is neither a JWKS document nor a PEM public key: "
                    + e.getMessage(), e);
        }
    }

    private static JWK pemKey(String type, byte[] der) throws GeneralSecurityException {
        PublicKey key;
        switch (type) {
            case "PUBLIC KEY" -> key = publicKey(der);
            case "CERTIFICATE" -> key = CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
            default -> throw new InvalidKeySpecException("a PEM block of type '" + type
                    + "' is not accepted; use 'PUBLIC KEY' (X.509 SubjectPublicKeyInfo) or 'CERTIFICATE'");
        }
        if (key instanceof RSAPublicKey rsa) {
            return new RSAKey.Builder(rsa).build();
        }
        if (key instanceof ECPublicKey ec) {
            Curve curve = Curve.forECParameterSpec(ec.getParams());
            if (curve == null) {
                throw new InvalidKeySpecException("the EC key's curve is not supported");
            }
            return new ECKey.Builder(curve, ec).build();
        }
        throw new InvalidKeySpecException("a " + key.getAlgorithm()
                + " key is not accepted; use an RSA or EC key");
    }

    private static PublicKey publicKey(byte[] der) throws GeneralSecurityException {
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(spec);
            } catch (InvalidKeySpecException e) {
                // try the next kind
            }
        }
        throw new InvalidKeySpecException("the PEM public key is neither an RSA nor an EC key");
    }

    /** {@link #verify(String, Set)} with no resource URLs: only the configured audiences are accepted. */
    public JWTClaimsSet verify(String token) {
        return verify(token, Set.of());
    }

    /**
     * @param resources the URLs of the resource the token is presented to (as the protected-resource
     *     metadata names it); the accepted audiences when none are configured
     *     ({@code mp.jwt.verify.audiences}). The audience is always checked: with neither, every
     *     token is refused
     * @return the verified claims
     * @throws SluiceException {@link ErrorKind#UNAUTHENTICATED} with {@code data.reason} one of
     *     {@code malformed}, {@code unsigned}, {@code algorithm}, {@code signature}, {@code expired},
     *     {@code not-yet-valid}, {@code issuer}, {@code audience}, {@code too-old}
     */
    public JWTClaimsSet verify(String token, Set<String> resources) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            throw Authenticator.refused("malformed", "the bearer token is not a JWT");
        }
        if (jwt instanceof PlainJWT) {
            throw Authenticator.refused("unsigned", "unsigned tokens (alg none) are refused");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw Authenticator.refused("malformed", "encrypted tokens are not accepted; send a signed JWT");
        }
        String alg = signed.getHeader().getAlgorithm().getName();
        if (!settings.algorithms().contains(alg)) {
            throw Authenticator.refused("algorithm", "tokens signed with " + alg + " are refused; accepted: "
                    + String.join(", ", new TreeSet<>(settings.algorithms())));
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(signed, null);
        } catch (BadJOSEException e) {
            throw Authenticator.refused("signature", "the token's signature does not verify with any configured key");
        } catch (JOSEException e) {
            throw Authenticator.refused("signature", "the token's signature could not be checked");
        }
        checkClaims(claims, settings.audiences().isEmpty() ? resources : settings.audiences());
        return claims;
    }

    private void checkClaims(JWTClaimsSet claims, Set<String> audiences) {
        Instant now = clock.instant();
        Duration skew = settings.clockSkew();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw Authenticator.refused("expired", "the token has no expiry (exp)");
        }
        if (exp.toInstant().plus(skew).isBefore(now)) {
            throw Authenticator.refused("expired", "the token expired at " + exp.toInstant());
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().minus(skew).isAfter(now)) {
            throw Authenticator.refused("not-yet-valid", "the token is not valid before " + nbf.toInstant());
        }
        if (!settings.issuer().equals(claims.getIssuer())) {
            throw Authenticator.refused("issuer", "the token's issuer is not accepted" + (claims.getIssuer() == null ? " (none)" : ""));
        }
        List<String> aud = claims.getAudience();
        if (aud == null || audiences == null || aud.stream().noneMatch(audiences::contains)) {
            throw Authenticator.refused("audience", "the token is not meant for this gateway (audience"
                    + (aud == null || aud.isEmpty() ? ": none" : "") + ")");
        }
        if (settings.maxAge() != null && !settings.maxAge().isZero()) {
            Date iat = claims.getIssueTime();
            if (iat == null) {
                throw Authenticator.refused("too-old", "the token has no issue time (iat)");
            }
            if (iat.toInstant().plus(settings.maxAge()).plus(skew).isBefore(now)) {
                throw Authenticator.refused("too-old", "the token was issued more than " + settings.maxAge().toHours()
                        + " hours ago; sign in again");
            }
        }
    }
}
