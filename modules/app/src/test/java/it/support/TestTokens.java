package it.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A test identity provider: an RSA-2048 and an EC P-256 signing key that a node trusts (through a
 * JWKS file, {@link #writeJwks(Path)} and {@link #nodeEnvironment(Path)}), one more RSA key that it
 * does not, and tokens with realistic claims that a test spoils one claim at a time:
 *
 * <pre>{@code
 * TestTokens idp = TestTokens.generate();
 * String ok = idp.rs256(idp.claims("alice", "analyst"));
 * String expired = idp.rs256(idp.claims("alice", "analyst").expirationTime(TestTokens.ago(Duration.ofHours(1))));
 * }</pre>
 *
 * Every token it hands out, valid or not, is remembered ({@link #issued()}) so that a test can
 * check afterwards that none of them was written to a log or an audit record.
 */
public final class TestTokens {
    /** The issuer the node is configured to accept ({@code MP_JWT_VERIFY_ISSUER}). */
    public static final String ISSUER = "https://idp.test.example";
    /** The audience the node is configured to accept ({@code MP_JWT_VERIFY_AUDIENCES}). */
    public static final String AUDIENCE = "sluice";

    private final RSAKey rsa;
    private final ECKey ec;
    private final RSAKey stranger;
    private final List<String> issued = Collections.synchronizedList(new ArrayList<>());

    private TestTokens(RSAKey rsa, ECKey ec, RSAKey stranger) {
        this.rsa = rsa;
        this.ec = ec;
        this.stranger = stranger;
    }

    /** New key pairs. The untrusted RSA key has the same key id as the trusted one, as a forger's would. */
    public static TestTokens generate() {
        try {
            return new TestTokens(new RSAKeyGenerator(2048).keyID("it-rsa-1").generate(),
                    new ECKeyGenerator(Curve.P_256).keyID("it-ec-1").generate(),
                    new RSAKeyGenerator(2048).keyID("it-rsa-1").generate());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate test signing keys", e);
        }
    }

    /** Writes the public halves of the trusted RSA and EC keys as a JWKS document and returns the file. */
    public Path writeJwks(Path file) {
        String jwks = new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString();
        try {
            Files.writeString(file, jwks);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * The role map the tests' tokens rely on: each role's own name grants it (the groups the tests put
     * in a token are role names). Sluice maps no group to a role unless told to.
     */
    public static final String IDENTITY_ROLE_MAP = "viewer=viewer,analyst=analyst,engineer=engineer,admin=admin,owner=owner";

    /** The environment that makes a node trust these keys, this issuer and this audience, with {@link #IDENTITY_ROLE_MAP}. */
    public static Map<String, String> nodeEnvironment(Path jwks) {
        return Map.of(
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION", jwks.toString(),
                "MP_JWT_VERIFY_ISSUER", ISSUER,
                "MP_JWT_VERIFY_AUDIENCES", AUDIENCE,
                "SLUICE_SECURITY_JWT_ROLE_MAP", IDENTITY_ROLE_MAP);
    }

    /**
     * The claims of a fresh, valid token: issuer, audience, subject, issued now, expiring in an
     * hour, a unique id, and the given values in the {@code groups} claim (where Sluice finds roles).
     * The builder can be changed before signing.
     */
    public JWTClaimsSet.Builder claims(String subject, String... groups) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(subject)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
                .jwtID(UUID.randomUUID().toString())
                .claim("name", "Integration Test " + subject)
                .claim("groups", List.of(groups));
    }

    /** A point in time {@code duration} ago, for {@code iat}, {@code exp} and {@code nbf}. */
    public static Date ago(Duration duration) {
        return Date.from(Instant.now().minus(duration));
    }

    /** A point in time {@code duration} from now. */
    public static Date fromNow(Duration duration) {
        return Date.from(Instant.now().plus(duration));
    }

    /** A valid RS256 token for a subject with the given groups. */
    public String rs256(String subject, String... groups) {
        return rs256(claims(subject, groups));
    }

    /** Signs with the trusted RSA key (RS256). */
    public String rs256(JWTClaimsSet.Builder claims) {
        return sign(() -> new RSASSASigner(rsa), JWSAlgorithm.RS256, rsa.getKeyID(), claims);
    }

    /** Signs with the trusted EC key (ES256). */
    public String es256(JWTClaimsSet.Builder claims) {
        return sign(() -> new ECDSASigner(ec), JWSAlgorithm.ES256, ec.getKeyID(), claims);
    }

    /** Signs (RS256) with a key the node does not trust, under the trusted key's id. */
    public String signedByStranger(JWTClaimsSet.Builder claims) {
        return sign(() -> new RSASSASigner(stranger), JWSAlgorithm.RS256, stranger.getKeyID(), claims);
    }

    /** An unsigned token: header {@code {"alg":"none"}} and an empty signature part. */
    public String unsigned(JWTClaimsSet.Builder claims) {
        return remember(new PlainJWT(claims.build()).serialize());
    }

    /**
     * The classic algorithm-confusion forgery: HS256, "signed" with the trusted RSA public key's PEM
     * text as the HMAC secret. A verifier that let the token pick the algorithm would accept it.
     */
    public String hs256WithPublicKey(JWTClaimsSet.Builder claims) {
        byte[] secret = rsaPublicKeyPem().getBytes(StandardCharsets.US_ASCII);
        return sign(() -> new MACSigner(secret), JWSAlgorithm.HS256, rsa.getKeyID(), claims);
    }

    /** The trusted RSA public key as PEM ({@code -----BEGIN PUBLIC KEY-----}, X.509 SubjectPublicKeyInfo). */
    public String rsaPublicKeyPem() {
        try {
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(rsa.toRSAPublicKey().getEncoded());
            return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every token this provider has handed out, valid or not, in order. */
    public List<String> issued() {
        synchronized (issued) {
            return List.copyOf(issued);
        }
    }

    /** Makes a signer; Nimbus' signer constructors throw a checked exception. */
    @FunctionalInterface
    private interface SignerFactory {
        JWSSigner create() throws JOSEException;
    }

    private String sign(SignerFactory signer, JWSAlgorithm algorithm, String keyId, JWTClaimsSet.Builder claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(keyId).type(JOSEObjectType.JWT).build(),
                claims.build());
        try {
            jwt.sign(signer.create());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a test token with " + algorithm, e);
        }
        return remember(jwt.serialize());
    }

    private String remember(String token) {
        issued.add(token);
        return token;
    }
}
