package dev.sluice.app.internal.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.app.internal.security.AccessSettings;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {

    private static OriginPolicy policy(List<String> allowedOrigins, List<String> allowedHosts) {
        OriginPolicy policy = new OriginPolicy();
        policy.mcp = new McpSettings();
        policy.mcp.allowedOrigins = Optional.ofNullable(allowedOrigins);
        policy.mcp.allowedHosts = Optional.ofNullable(allowedHosts);
        policy.access = new AccessSettings();
        policy.access.corsOrigins = Optional.empty();
        return policy;
    }

    private final OriginPolicy defaults = policy(null, null);

    @Nested
    class WithDefaults {

        @Test
        void aRequestWithoutOriginIsAllowed() {
            assertThat(defaults.refusal(null, "localhost:9080")).isNull();
            assertThat(defaults.refusal("", "sluice.internal:9080")).isNull();
            assertThat(defaults.refusal(null, null)).isNull();
        }

        @Test
        void aLoopbackPageOnTheSameOriginIsAllowed() {
            assertThat(defaults.refusal("http://localhost:9080", "localhost:9080")).isNull();
            assertThat(defaults.refusal("http://127.0.0.1:9080", "127.0.0.1:9080")).isNull();
            assertThat(defaults.refusal("http://127.0.0.1", "127.0.0.1")).isNull();
            assertThat(defaults.refusal("http://[::1]:9080", "[::1]:9080")).isNull();
            assertThat(defaults.refusal("http://[::1]", "[::1]")).isNull();
        }

        @Test
        void comparesOriginAndHostWithoutRegardToCase() {
            assertThat(defaults.refusal("HTTP://LocalHost:9080", "localhost:9080")).isNull();
            assertThat(defaults.refusal("http://localhost:9080", "LOCALHOST:9080")).isNull();
        }

        @Test
        void aDnsRebindingPageIsRefusedNamingItsOrigin() {
            assertThat(defaults.refusal("http://evil.example.com", "evil.example.com"))
                    .isNotNull()
                    .contains("http://evil.example.com");
            assertThat(defaults.refusal("http://evil.example.com:9080", "evil.example.com:9080"))
                    .contains("http://evil.example.com:9080");
        }

        @Test
        void aLoopbackHostWithAForeignOriginIsRefused() {
            assertThat(defaults.refusal("http://evil.example.com", "localhost:9080"))
                    .contains("http://evil.example.com");
            assertThat(defaults.refusal("http://localhost:3000", "localhost:9080"))
                    .as("another port on the same machine is another origin")
                    .contains("http://localhost:3000");
        }

        @Test
        void anOpaqueOrMalformedOriginIsRefused() {
            assertThat(defaults.refusal("null", "localhost:9080")).contains("'null'");
            assertThat(defaults.refusal("http://local host", "localhost:9080")).contains("http://local host");
        }

        @Test
        void aLookalikeOfALoopbackNameIsNotLoopback() {
            assertThat(defaults.refusal("http://localhost.evil.example.com:9080", "localhost.evil.example.com:9080"))
                    .isNotNull();
            assertThat(defaults.refusal("http://127.0.0.1.nip.io:9080", "127.0.0.1.nip.io:9080")).isNotNull();
        }
    }

    @Nested
    class AllowedOrigins {

        @Test
        void admitAForeignOrigin() {
            OriginPolicy policy = policy(List.of("https://inspector.example.com"), null);

            assertThat(policy.refusal("https://inspector.example.com", "localhost:9080")).isNull();
            assertThat(policy.refusal("https://inspector.example.com", "evil.example.com")).isNull();
        }

        @Test
        void matchTheWholeOriginIgnoringCaseAndSurroundingSpace() {
            OriginPolicy policy = policy(List.of(" https://Inspector.Example.com "), null);

            assertThat(policy.refusal("https://inspector.example.com", "localhost:9080")).isNull();
            assertThat(policy.refusal("http://inspector.example.com", "localhost:9080"))
                    .as("another scheme is another origin")
                    .contains("http://inspector.example.com");
            assertThat(policy.refusal("https://inspector.example.com:8443", "localhost:9080")).isNotNull();
        }

        @Test
        void aStarAdmitsEveryOrigin() {
            assertThat(policy(List.of("*"), null).refusal("http://evil.example.com", "evil.example.com")).isNull();
        }

        @Test
        void doNotAdmitAHostThatAllowedHostsRefuse() {
            OriginPolicy policy = policy(List.of("*"), List.of("sluice.example.com"));

            assertThat(policy.refusal("http://evil.example.com", "evil.example.com"))
                    .contains("evil.example.com");
        }
    }

    @Nested
    class AllowedHosts {

        private final OriginPolicy policy = policy(null, List.of("sluice.example.com"));

        @Test
        void refuseAnotherHostEvenWithoutOriginNamingTheHost() {
            assertThat(policy.refusal(null, "evil.example.com")).contains("evil.example.com");
            assertThat(policy.refusal(null, null)).isNotNull();
        }

        @Test
        void replaceTheLoopbackNames() {
            assertThat(policy.refusal(null, "localhost:9080")).contains("localhost:9080");
        }

        @Test
        void admitTheConfiguredHostWithOrWithoutPort() {
            assertThat(policy.refusal(null, "sluice.example.com")).isNull();
            assertThat(policy.refusal(null, "sluice.example.com:9443")).isNull();
            assertThat(policy.refusal(null, "SLUICE.example.com")).isNull();
        }

        @Test
        void admitSameOriginForTheConfiguredHost() {
            assertThat(policy.refusal("https://sluice.example.com", "sluice.example.com")).isNull();
            assertThat(policy.refusal("https://sluice.example.com:9443", "sluice.example.com:9443")).isNull();
        }

        @Test
        void refuseAForeignOriginOnTheConfiguredHost() {
            assertThat(policy.refusal("https://evil.example.com", "sluice.example.com"))
                    .contains("https://evil.example.com");
        }

        @Test
        void anEmptyListMeansTheLoopbackDefaults() {
            OriginPolicy empty = policy(null, List.of());

            assertThat(empty.refusal(null, "anything.example.com")).isNull();
            assertThat(empty.refusal("http://localhost:9080", "localhost:9080")).isNull();
            assertThat(empty.refusal("http://evil.example.com", "evil.example.com")).isNotNull();
        }

        @Test
        void canNameAnIpv6HostWithOrWithoutPort() {
            OriginPolicy ipv6 = policy(null, List.of("[::1]"));

            assertThat(ipv6.refusal(null, "[::1]:9080")).isNull();
            assertThat(ipv6.refusal(null, "[::1]")).isNull();
            assertThat(ipv6.refusal("http://[::1]:9080", "[::1]:9080")).isNull();
            assertThat(ipv6.refusal(null, "[::2]:9080")).isNotNull();
        }
    }
}
