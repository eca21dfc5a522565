package dev.sluice.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JOSEException;
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
import com.nimbusds.jwt.SignedJWT;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.SluiceException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtVerifierTest {

    private static final String ISSUER = "https://idp.example.org/realms/sluice";
    private static final String AUDIENCE = "sluice-gateway";
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static RSAKey rsa;
    private static RSAKey otherRsa;
    private static ECKey ec;

    @BeforeAll
    static void keys() throws JOSEException {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        otherRsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    }

    // ---------------------------------------------------------------- helpers

    private static String pem(PublicKey key) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
    }

    private static String rsaPem() throws JOSEException {
        return pem(rsa.toRSAPublicKey());
    }

    private static String jwks() {
        return new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString();
    }

    private static JwtVerifier.Settings settings(String publicKey, String location) {
        return new JwtVerifier.Settings(publicKey, location, Set.of(), ISSUER, Set.of(AUDIENCE),
                Duration.ofSeconds(60), Duration.ofHours(8));
    }

    private static JwtVerifier verifier(String publicKey) {
        return new JwtVerifier(settings(publicKey, null), CLOCK);
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder()
                .subject("alice")
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .issueTime(Date.from(NOW.minus(Duration.ofMinutes(5))))
                .expirationTime(Date.from(NOW.plus(Duration.ofMinutes(55))))
                .claim("groups", List.of("engineers"));
    }

    private static String sign(JWSSigner signer, JWSAlgorithm alg, String kid, JWTClaimsSet claims)
            throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static String rs256(JWTClaimsSet claims) throws JOSEException {
        return sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, rsa.getKeyID(), claims);
    }

    private static String es256(JWTClaimsSet claims) throws JOSEException {
        return sign(new ECDSASigner(ec), JWSAlgorithm.ES256, ec.getKeyID(), claims);
    }

    private static String base64url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Verifies and returns the refusal's reason, checking that it is an UNAUTHENTICATED refusal. */
    private static String reason(JwtVerifier verifier, String token) {
        SluiceException e = catchThrowableOfType(SluiceException.class, () -> verifier.verify(token));
        assertThat(e).as("refusal").isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.UNAUTHENTICATED);
        if (!token.isEmpty()) {
            assertThat(e.detail()).doesNotContain(token);
        }
        assertThat(e.data()).isPresent();
        return e.data().get().path("reason").asText();
    }

    // ---------------------------------------------------------------- key sources

    @Nested
    class KeySources {
        @Test
        void anRs256TokenVerifiesWithAPemKey() throws Exception {
            JWTClaimsSet verified = verifier(rsaPem()).verify(rs256(claims().build()));
            assertThat(verified.getSubject()).isEqualTo("alice");
            assertThat(verified.getStringListClaim("groups")).containsExactly("engineers");
        }

        @Test
        void anEs256TokenVerifiesWithAPemKey() throws Exception {
            assertThat(verifier(pem(ec.toECPublicKey())).verify(es256(claims().build())).getSubject())
                    .isEqualTo("alice");
        }

        @Test
        void bothKindsVerifyWithAJwksDocument() throws Exception {
            JwtVerifier verifier = verifier(jwks());
            assertThat(verifier.verify(rs256(claims().build())).getSubject()).isEqualTo("alice");
            assertThat(verifier.verify(es256(claims().build())).getSubject()).isEqualTo("alice");
        }

        @Test
        void aPemBundleHoldsSeveralKeys() throws Exception {
            JwtVerifier verifier = verifier(rsaPem() + pem(ec.toECPublicKey()));
            assertThat(verifier.verify(rs256(claims().build())).getSubject()).isEqualTo("alice");
            assertThat(verifier.verify(es256(claims().build())).getSubject()).isEqualTo("alice");
        }

        @Test
        void aSingleJwkIsAccepted() throws Exception {
            JwtVerifier verifier = verifier(rsa.toPublicJWK().toJSONString());
            assertThat(verifier.verify(rs256(claims().build())).getSubject()).isEqualTo("alice");
        }

        @Test
        void aTokenNamingAKeyIdVerifiesWithAPemKeyWhichHasNone() throws Exception {
            // identity providers put a kid in every token; a PEM key has no id to match it against
            String token = sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, "idp-key-2025", claims().build());
            assertThat(verifier(rsaPem()).verify(token).getSubject()).isEqualTo("alice");
            String ecToken = sign(new ECDSASigner(ec), JWSAlgorithm.ES256, "idp-ec", claims().build());
            assertThat(verifier(pem(ec.toECPublicKey())).verify(ecToken).getSubject()).isEqualTo("alice");
        }

        @Test
        void aTokenWithoutKeyIdVerifies() throws Exception {
            String token = sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, null, claims().build());
            assertThat(verifier(rsaPem()).verify(token).getSubject()).isEqualTo("alice");
        }

        @Test
        void theKeyCanBeReadFromAFile(@TempDir Path dir) throws Exception {
            Path file = dir.resolve("jwks.json");
            Files.writeString(file, jwks());
            JwtVerifier verifier = new JwtVerifier(settings(null, file.toString()), CLOCK);
            assertThat(verifier.verify(es256(claims().build())).getSubject()).isEqualTo("alice");

            Path pemFile = dir.resolve("key.pem");
            Files.writeString(pemFile, rsaPem());
            JwtVerifier fromUri = new JwtVerifier(settings(null, pemFile.toUri().toString()), CLOCK);
            assertThat(fromUri.verify(rs256(claims().build())).getSubject()).isEqualTo("alice");
        }

        @Test
        void anUnreadableFileIsAConfigurationError(@TempDir Path dir) {
            assertThatThrownBy(() -> new JwtVerifier(settings(null, dir.resolve("missing.pem").toString()), CLOCK))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot be read");
        }

        @Test
        void garbageKeyTextIsAConfigurationError() {
            assertThatThrownBy(() -> verifier("not a key"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("neither a JWKS document nor a PEM public key");
        }

        @Test
        void theKeyCanBeFetchedFromAJwksUrl() throws Exception {
            try (TinyHttpServer server = new TinyHttpServer(jwks(), "application/json")) {
                String url = server.url("/jwks");
                JwtVerifier verifier = new JwtVerifier(settings(null, url), CLOCK);
                assertThat(verifier.verify(rs256(claims().build())).getSubject()).isEqualTo("alice");
                assertThat(verifier.verify(es256(claims().build())).getSubject()).isEqualTo("alice");
                assertThat(reason(verifier, sign(new RSASSASigner(otherRsa), JWSAlgorithm.RS256, "rsa-1",
                        claims().build()))).isEqualTo("signature");
                assertThat(server.requests()).as("requests for the key set").isPositive();
            }
        }
    }

    // ---------------------------------------------------------------- refusals

    @Nested
    class Refusals {
        private final JwtVerifier verifier = verifier(jwks());

        @Test
        void anExpiredTokenIsRefused() throws Exception {
            String token = rs256(claims().issueTime(Date.from(NOW.minus(Duration.ofHours(3))))
                    .expirationTime(Date.from(NOW.minus(Duration.ofHours(2)))).build());
            assertThat(reason(verifier, token)).isEqualTo("expired");
        }

        @Test
        void aTokenWithoutExpiryIsRefused() throws Exception {
            assertThat(reason(verifier, rs256(claims().expirationTime(null).build()))).isEqualTo("expired");
        }

        @Test
        void anotherIssuerIsRefused() throws Exception {
            assertThat(reason(verifier, rs256(claims().issuer("https://evil.example.org").build())))
                    .isEqualTo("issuer");
            assertThat(reason(verifier, rs256(claims().issuer(null).build()))).isEqualTo("issuer");
        }

        @Test
        void aWrongAudienceIsRefused() throws Exception {
            assertThat(reason(verifier, rs256(claims().audience("another-service").build()))).isEqualTo("audience");
            assertThat(reason(verifier, rs256(claims().audience((String) null).build()))).isEqualTo("audience");
        }

        @Test
        void oneMatchingAudienceAmongSeveralIsEnough() throws Exception {
            String token = rs256(claims().audience(List.of("another-service", AUDIENCE)).build());
            assertThat(verifier.verify(token).getSubject()).isEqualTo("alice");
        }

        @Test
        void aTokenSignedByAnotherKeyIsRefused() throws Exception {
            String token = sign(new RSASSASigner(otherRsa), JWSAlgorithm.RS256, "rsa-1", claims().build());
            assertThat(reason(verifier, token)).isEqualTo("signature");
            String noKid = sign(new RSASSASigner(otherRsa), JWSAlgorithm.RS256, null, claims().build());
            assertThat(reason(verifier, noKid)).isEqualTo("signature");
        }

        @Test
        void aTamperedPayloadIsRefused() throws Exception {
            String[] parts = rs256(claims().build()).split("\\.");
            String forged = parts[0] + "." + base64url(claims().subject("root").build().toString()) + "." + parts[2];
            assertThat(reason(verifier, forged)).isEqualTo("signature");
        }

        @Test
        void anUnsignedTokenIsRefused() {
            String token = base64url("{\"alg\":\"none\"}") + "." + base64url(claims().build().toString()) + ".";
            assertThat(reason(verifier, token)).isEqualTo("unsigned");
        }

        @Test
        void anHmacTokenKeyedWithThePublicKeyIsRefused() throws Exception {
            JwtVerifier pemVerifier = verifier(rsaPem());
            String withPemText = sign(new MACSigner(rsaPem().getBytes(StandardCharsets.US_ASCII)), JWSAlgorithm.HS256,
                    null, claims().build());
            assertThat(reason(pemVerifier, withPemText)).isEqualTo("algorithm");
            String withDer = sign(new MACSigner(rsa.toRSAPublicKey().getEncoded()), JWSAlgorithm.HS256, null,
                    claims().build());
            assertThat(reason(pemVerifier, withDer)).isEqualTo("algorithm");
        }

        @Test
        void anAlgorithmLeftOutOfTheSettingsIsRefused() throws Exception {
            JwtVerifier rsOnly = new JwtVerifier(new JwtVerifier.Settings(jwks(), null, Set.of("RS256"), ISSUER,
                    Set.of(AUDIENCE), Duration.ofSeconds(60), Duration.ofHours(8)), CLOCK);
            assertThat(rsOnly.verify(rs256(claims().build())).getSubject()).isEqualTo("alice");
            assertThat(reason(rsOnly, es256(claims().build()))).isEqualTo("algorithm");
        }

        @Test
        void aTokenIssuedTooLongAgoIsRefused() throws Exception {
            String token = rs256(claims().issueTime(Date.from(NOW.minus(Duration.ofHours(9))))
                    .expirationTime(Date.from(NOW.plus(Duration.ofHours(1)))).build());
            assertThat(reason(verifier, token)).isEqualTo("too-old");
            assertThat(reason(verifier, rs256(claims().issueTime(null).build()))).isEqualTo("too-old");
        }

        @Test
        void aTokenNotYetValidIsRefused() throws Exception {
            String token = rs256(claims().notBeforeTime(Date.from(NOW.plus(Duration.ofMinutes(10)))).build());
            assertThat(reason(verifier, token)).isEqualTo("not-yet-valid");
        }

        @Test
        void garbageIsMalformed() {
            assertThat(reason(verifier, "not-a-token")).isEqualTo("malformed");
            assertThat(reason(verifier, "a.b.c")).isEqualTo("malformed");
            assertThat(reason(verifier, "")).isEqualTo("malformed");
        }
    }

    @Nested
    class ClockSkew {
        private final JwtVerifier verifier = verifier(jwks());

        @Test
        void aTokenExpiredWithinTheSkewStillPasses() throws Exception {
            String token = rs256(claims().expirationTime(Date.from(NOW.minusSeconds(30))).build());
            assertThat(verifier.verify(token).getSubject()).isEqualTo("alice");
        }

        @Test
        void aTokenExpiredBeyondTheSkewIsRefused() throws Exception {
            String token = rs256(claims().expirationTime(Date.from(NOW.minusSeconds(90))).build());
            assertThat(reason(verifier, token)).isEqualTo("expired");
        }

        @Test
        void aNotBeforeWithinTheSkewPasses() throws Exception {
            String token = rs256(claims().notBeforeTime(Date.from(NOW.plusSeconds(30))).build());
            assertThat(verifier.verify(token).getSubject()).isEqualTo("alice");
        }
    }

    @Nested
    class Configuration {
        @Test
        void hmacAlgorithmsAreRefused() {
            assertThatThrownBy(() -> new JwtVerifier(new JwtVerifier.Settings(jwks(), null, Set.of("RS256", "HS256"),
                    ISSUER, Set.of(AUDIENCE), Duration.ofSeconds(60), Duration.ofHours(8)), CLOCK))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("HS256");
        }

        @Test
        void anIssuerIsRequired() {
            assertThatThrownBy(() -> new JwtVerifier(new JwtVerifier.Settings(jwks(), null, Set.of(), null,
                    Set.of(AUDIENCE), Duration.ofSeconds(60), Duration.ofHours(8)), CLOCK))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("issuer");
            assertThatThrownBy(() -> new JwtVerifier(new JwtVerifier.Settings(jwks(), null, Set.of(), " ",
                    Set.of(AUDIENCE), Duration.ofSeconds(60), Duration.ofHours(8)), CLOCK))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void theDefaultAlgorithmsAreRs256AndEs256() {
            JwtVerifier.Settings settings = settings(jwks(), null);
            assertThat(settings.algorithms()).containsExactlyInAnyOrder("RS256", "ES256");
            assertThat(settings.configured()).isTrue();
            assertThat(new JwtVerifier.Settings(null, " ", null, ISSUER, null, Duration.ZERO, null).configured())
                    .isFalse();
        }

        @Test
        void withoutConfiguredAudiencesTheResourceUrlIsTheAudience() throws Exception {
            JwtVerifier verifier = new JwtVerifier(new JwtVerifier.Settings(jwks(), null, Set.of(), ISSUER, Set.of(),
                    Duration.ofSeconds(60), Duration.ofHours(8)), CLOCK);
            Set<String> resource = Set.of("https://sluice.example.com/mcp");
            assertThat(verifier.verify(rs256(claims().audience("https://sluice.example.com/mcp").build()), resource)
                    .getSubject()).isEqualTo("alice");
            for (JWTClaimsSet claims : List.of(claims().audience("anything").build(), claims().audience((String) null).build())) {
                String token = rs256(claims);
                SluiceException e = catchThrowableOfType(SluiceException.class, () -> verifier.verify(token, resource));
                assertThat(e.data().orElseThrow().path("reason").asText()).isEqualTo("audience");
            }
            // neither configured audiences nor a resource: nothing is accepted
            assertThat(reason(verifier, rs256(claims().audience("anything").build()))).isEqualTo("audience");
        }

        @Test
        void configuredAudiencesWinOverTheResourceUrl() throws Exception {
            JwtVerifier verifier = verifier(jwks());
            Set<String> resource = Set.of("https://sluice.example.com/mcp");
            assertThat(verifier.verify(rs256(claims().build()), resource).getSubject()).isEqualTo("alice");
            String forResource = rs256(claims().audience("https://sluice.example.com/mcp").build());
            SluiceException e = catchThrowableOfType(SluiceException.class, () -> verifier.verify(forResource, resource));
            assertThat(e.data().orElseThrow().path("reason").asText()).isEqualTo("audience");
        }
    }
}
