package dev.sluice.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.sluice.core.Caller;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.SluiceException;
import dev.sluice.security.ApiKey;
import dev.sluice.security.Authenticator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class BearerAuthenticatorTest {

    /** The key store, counting the lookups it is asked for (each a database query in Sluice). */
    static final class CountingKeys extends JpaApiKeys {
        final AtomicInteger lookups = new AtomicInteger();

        @Override
        public ApiKey authenticate(String secret) {
            lookups.incrementAndGet();
            throw Authenticator.refused("unknown-key", "the API key is not valid");
        }
    }

    private static BearerAuthenticator authenticator(String roleMap, String defaultRole, CountingKeys keys) {
        BearerAuthenticator a = new BearerAuthenticator();
        a.apiKeys = keys;
        a.jwt = new JwtVerification();
        a.jwt.publicKey = Optional.empty();
        a.jwt.publicKeyLocation = Optional.empty();
        a.jwt.algorithms = Optional.empty();
        a.jwt.issuer = Optional.empty();
        a.jwt.audiences = Optional.empty();
        a.jwt.clockSkewSeconds = 60;
        a.jwt.tokenAgeSeconds = 28800;
        a.settings = new SecuritySettings();
        a.settings.roleClaim = "groups";
        a.settings.defaultRole = defaultRole;
        a.settings.roleMapping = Optional.ofNullable(roleMap);
        a.settings.organisationClaim = "org";
        a.init();
        return a;
    }

    private static JWTClaimsSet token(String... groups) {
        return new JWTClaimsSet.Builder().subject("alice").claim("groups", List.of(groups)).build();
    }

    private static String reason(Runnable call) {
        SluiceException e = catchThrowableOfType(SluiceException.class, call::run);
        assertThat(e).as("refusal").isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.UNAUTHENTICATED);
        return e.data().orElseThrow().path("reason").asText();
    }

    @Nested
    class RoleMapping {
        @Test
        void aGroupNamedLikeARoleIsNotThatRoleUnlessMapped() {
            BearerAuthenticator a = authenticator("sluice-admins=admin,data-team=engineer", "viewer", new CountingKeys());
            Caller caller = a.caller(token("admin", "owner"));
            assertThat(caller.role()).isEqualTo("viewer");
            assertThat(caller.groups()).containsExactlyInAnyOrder("admin", "owner");
        }

        @Test
        void mappedGroupsGiveTheHighestRoleTheyMapTo() {
            BearerAuthenticator a = authenticator("sluice-admins=admin, data-team=engineer", "viewer", new CountingKeys());
            assertThat(a.caller(token("data-team")).role()).isEqualTo("engineer");
            assertThat(a.caller(token("data-team", "sluice-admins", "other")).role()).isEqualTo("admin");
        }

        @Test
        void withoutAMapEveryTokenGetsTheDefaultRole() {
            BearerAuthenticator a = authenticator(null, "analyst", new CountingKeys());
            assertThat(a.caller(token("owner", "admin")).role()).isEqualTo("analyst");
        }

        @Test
        void withDefaultRoleNoneATokenWithoutAMappedGroupIsRefused() {
            BearerAuthenticator a = authenticator("sluice-admins=admin", "none", new CountingKeys());
            assertThat(reason(() -> a.caller(token("admin")))).isEqualTo("no-role");
            assertThat(a.caller(token("sluice-admins")).role()).isEqualTo("admin");
        }

        @Test
        void theOldBehaviourIsAnExplicitIdentityMap() {
            BearerAuthenticator a = authenticator("analyst=analyst,admin=admin", "viewer", new CountingKeys());
            assertThat(a.caller(token("admin")).role()).isEqualTo("admin");
        }

        @Test
        void aBadEntryIsRefusedAtStart() {
            assertThatThrownBy(() -> BearerAuthenticator.roleMap("sluice-admins")).hasMessageContaining("sluice-admins");
            assertThatThrownBy(() -> BearerAuthenticator.roleMap("x=superuser")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class ImplausibleKeys {
        @Test
        void aValueThatCannotBeAKeyIsRefusedWithoutALookup() {
            CountingKeys keys = new CountingKeys();
            BearerAuthenticator a = authenticator(null, "viewer", keys);
            for (String value : List.of("sk-sluice-short1234567", "sk-sluice-" + "a".repeat(300),
                    "sk-sluice-" + "a".repeat(31) + " ", "sk-sluice-" + "é".repeat(40))) {
                assertThat(reason(() -> a.authenticate("Bearer " + value, null))).as(value).isEqualTo("malformed");
                assertThat(reason(() -> a.authenticate(null, value))).as(value).isEqualTo("malformed");
            }
            assertThat(reason(() -> a.authenticate(null, "not-a-key-at-all"))).isEqualTo("malformed");
            assertThat(keys.lookups).hasValue(0);
        }

        @Test
        void aValueShapedLikeAKeyIsLookedUp() {
            CountingKeys keys = new CountingKeys();
            BearerAuthenticator a = authenticator(null, "viewer", keys);
            String generated = KeyHasher.newSecret(Authenticator.API_KEY_PREFIX);
            assertThat(reason(() -> a.authenticate("Bearer " + generated, null))).isEqualTo("unknown-key");
            assertThat(reason(() -> a.authenticate(null, "sk-sluice-it0wner0000Kq7vX2mN9pL4rT8wY1zB5cD3fG6hJ")))
                    .isEqualTo("unknown-key");
            assertThat(keys.lookups).hasValue(2);
        }
    }
}
