package dev.sluice.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.sluice.core.Caller;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RateLimitPolicyTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private static Caller caller(String subject, String role, String organisation) {
        return new Caller(subject, role, organisation, Set.of(), null, Set.of());
    }

    private static RateLimitPolicy policy(List<String> roles, List<String> tools) {
        return new RateLimitPolicy(true, MINUTE, RateLimitPolicy.DEFAULT_PER_USER,
                RateLimitPolicy.DEFAULT_PER_ORGANISATION, roles, tools);
    }

    @Test
    void defaultsAreOneHundredPerUserAMinute() {
        List<RateLimit> limits = RateLimitPolicy.defaults().limitsFor(caller("alice", "viewer", null), "postgres",
                "query");

        assertThat(limits).containsExactly(new RateLimit("user", "user:alice", 100, MINUTE));
        assertThat(RateLimitPolicy.defaults().enabled()).isTrue();
        assertThat(RateLimitPolicy.defaults().window()).isEqualTo(MINUTE);
    }

    @Test
    void anOrganisationBudgetOfOneThousandOnlyWhenTheCallerNamesOne() {
        RateLimitPolicy defaults = RateLimitPolicy.defaults();

        assertThat(defaults.limitsFor(caller("alice", "viewer", "acme"), "postgres", "query")).containsExactly(
                new RateLimit("user", "user:alice", 100, MINUTE),
                new RateLimit("organisation", "org:acme", 1000, MINUTE));
        assertThat(defaults.limitsFor(caller("alice", "viewer", "  "), "postgres", "query"))
                .extracting(RateLimit::scope).containsExactly("user");
        assertThat(defaults.limitsFor(caller("alice", "viewer", null), "postgres", "query"))
                .extracting(RateLimit::scope).containsExactly("user");
    }

    @Test
    void usersOfOneOrganisationShareItsBudgetButNotTheirOwn() {
        RateLimitPolicy defaults = RateLimitPolicy.defaults();
        List<RateLimit> alice = defaults.limitsFor(caller("alice", "viewer", "acme"), null, null);
        List<RateLimit> bob = defaults.limitsFor(caller("bob", "viewer", "acme"), null, null);

        assertThat(alice.get(0).key()).isNotEqualTo(bob.get(0).key());
        assertThat(alice.get(1).key()).isEqualTo(bob.get(1).key());
    }

    @Test
    void aRoleOverrideSetsTheUserBudgetOfThatRoleOnly() {
        RateLimitPolicy policy = policy(List.of("admin=1000", "owner=unlimited"), List.of());

        assertThat(policy.limitsFor(caller("root", "admin", null), "postgres", "query"))
                .containsExactly(new RateLimit("user", "user:root", 1000, MINUTE));
        assertThat(policy.limitsFor(caller("alice", "viewer", null), "postgres", "query"))
                .containsExactly(new RateLimit("user", "user:alice", 100, MINUTE));
    }

    @Test
    void anUnlimitedRoleHasNoUserBudgetButStillItsOrganisations() {
        RateLimitPolicy policy = policy(List.of("owner=unlimited"), List.of());

        assertThat(policy.limitsFor(caller("boss", "owner", null), "postgres", "query")).isEmpty();
        assertThat(policy.limitsFor(caller("boss", "owner", "acme"), "postgres", "query"))
                .containsExactly(new RateLimit("organisation", "org:acme", 1000, MINUTE));
    }

    @Test
    void roleNamesInConfigurationIgnoreCase() {
        RateLimitPolicy policy = policy(List.of("ADMIN = 250"), List.of());

        assertThat(policy.limitsFor(caller("root", "admin", null), null, null))
                .extracting(RateLimit::limit).containsExactly(250);
    }

    @Test
    void aToolOverrideWithAGlobAddsAToolBudgetPerUser() {
        RateLimitPolicy policy = policy(List.of(), List.of("postgres/*=5"));

        List<RateLimit> limits = policy.limitsFor(caller("alice", "viewer", null), "postgres", "query");

        assertThat(limits).containsExactly(new RateLimit("user", "user:alice", 100, MINUTE),
                new RateLimit("tool", "tool:postgres/query:alice", 5, MINUTE));
        assertThat(policy.limitsFor(caller("alice", "viewer", null), "postgres", "list_tables"))
                .contains(new RateLimit("tool", "tool:postgres/list_tables:alice", 5, MINUTE));
    }

    @Test
    void aToolOverrideDoesNotApplyToOtherServersOrToAStatusQuery() {
        RateLimitPolicy policy = policy(List.of(), List.of("postgres/*=5"));
        Caller alice = caller("alice", "viewer", null);

        assertThat(policy.limitsFor(alice, "github", "search")).extracting(RateLimit::scope).containsExactly("user");
        assertThat(policy.limitsFor(alice, "postgresql", "query")).extracting(RateLimit::scope)
                .as("postgres/* is not a prefix match on the server name").containsExactly("user");
        assertThat(policy.limitsFor(alice, null, null)).extracting(RateLimit::scope).containsExactly("user");
    }

    @Test
    void theFirstMatchingToolOverrideApplies() {
        RateLimitPolicy policy = policy(List.of(), List.of("postgres/query=2", "postgres/*=5", "*/query=7"));
        Caller alice = caller("alice", "viewer", null);

        assertThat(toolLimit(policy.limitsFor(alice, "postgres", "query"))).isEqualTo(2);
        assertThat(toolLimit(policy.limitsFor(alice, "postgres", "explain"))).isEqualTo(5);
        assertThat(toolLimit(policy.limitsFor(alice, "duckdb", "query"))).isEqualTo(7);
    }

    @Test
    void anUnlimitedToolOverrideShieldsTheToolFromLaterOverrides() {
        RateLimitPolicy policy = policy(List.of(), List.of("postgres/health=unlimited", "postgres/*=5"));

        assertThat(policy.limitsFor(caller("alice", "viewer", null), "postgres", "health"))
                .extracting(RateLimit::scope).containsExactly("user");
    }

    @Test
    void globCharactersOtherThanTheStarAreLiteral() {
        RateLimitPolicy policy = policy(List.of(), List.of("dbt.cloud/run+job=3"));
        Caller alice = caller("alice", "viewer", null);

        assertThat(toolLimit(policy.limitsFor(alice, "dbt.cloud", "run+job"))).isEqualTo(3);
        assertThat(policy.limitsFor(alice, "dbtxcloud", "run+job")).extracting(RateLimit::scope)
                .containsExactly("user");
        assertThat(policy.limitsFor(alice, "dbt.cloud", "runnjob")).extracting(RateLimit::scope)
                .containsExactly("user");
    }

    @Test
    void aRoleItemWithoutALimitIsRefusedNamingIt() {
        assertThatIllegalArgumentException().isThrownBy(() -> policy(List.of("admin"), List.of()))
                .withMessageContaining("'admin'").withMessageContaining("sluice.rate-limit.roles");
    }

    @Test
    void aLimitThatIsNotANumberIsRefusedNamingTheItem() {
        assertThatIllegalArgumentException().isThrownBy(() -> policy(List.of("x=abc"), List.of()))
                .withMessageContaining("x=abc");
        assertThatIllegalArgumentException().isThrownBy(() -> policy(List.of(), List.of("postgres/*=lots")))
                .withMessageContaining("postgres/*=lots").withMessageContaining("sluice.rate-limit.tools");
    }

    @Test
    void aToolItemWithoutServerAndToolIsRefusedNamingIt() {
        assertThatIllegalArgumentException().isThrownBy(() -> policy(List.of(), List.of("postgres=5")))
                .withMessageContaining("postgres=5").withMessageContaining("server/tool");
    }

    @Test
    void aLimitOfZeroOrLessIsRefusedNamingTheItem() {
        assertThatIllegalArgumentException().isThrownBy(() -> policy(List.of("admin=0"), List.of()))
                .withMessageContaining("admin=0");
        assertThatIllegalArgumentException().isThrownBy(() -> policy(List.of(), List.of("postgres/*=-3")))
                .withMessageContaining("postgres/*=-3");
    }

    @Test
    void anItemWithoutANameOrAValueIsRefusedNamingIt() {
        assertThatIllegalArgumentException().isThrownBy(() -> policy(List.of("=5"), List.of()))
                .withMessageContaining("'=5'");
        assertThatIllegalArgumentException().isThrownBy(() -> policy(List.of("admin="), List.of()))
                .withMessageContaining("'admin='");
    }

    @Test
    void aWindowThatIsNotPositiveIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RateLimitPolicy(true, Duration.ZERO, 100, 1000,
                List.of(), List.of())).withMessageContaining("sluice.rate-limit.window");
        assertThatIllegalArgumentException().isThrownBy(() -> new RateLimitPolicy(true, null, 100, 1000,
                List.of(), List.of())).withMessageContaining("sluice.rate-limit.window");
    }

    @Test
    void disabledPolicyHoldsNoCallToAnyBudget() {
        RateLimitPolicy off = new RateLimitPolicy(false, MINUTE, 100, 1000, List.of("admin=1000"),
                List.of("postgres/*=5"));

        assertThat(off.enabled()).isFalse();
        assertThat(off.limitsFor(caller("alice", "admin", "acme"), "postgres", "query")).isEmpty();
    }

    @Test
    void zeroPerUserOrPerOrganisationMeansNoSuchBudget() {
        RateLimitPolicy noUser = new RateLimitPolicy(true, MINUTE, 0, 1000, List.of(), List.of());
        RateLimitPolicy noOrg = new RateLimitPolicy(true, MINUTE, 100, 0, List.of(), List.of());

        assertThat(noUser.limitsFor(caller("alice", "viewer", "acme"), null, null))
                .extracting(RateLimit::scope).containsExactly("organisation");
        assertThat(noOrg.limitsFor(caller("alice", "viewer", "acme"), null, null))
                .extracting(RateLimit::scope).containsExactly("user");
    }

    @Test
    void aConfiguredWindowIsTheWindowOfEveryBudget() {
        Duration hour = Duration.ofHours(1);
        RateLimitPolicy policy = new RateLimitPolicy(true, hour, 10, 20, List.of(), List.of("a/*=1"));

        assertThat(policy.limitsFor(caller("alice", "viewer", "acme"), "a", "b"))
                .hasSize(3).extracting(RateLimit::window).containsOnly(hour);
    }

    private static int toolLimit(List<RateLimit> limits) {
        return limits.stream().filter(l -> l.scope().equals("tool")).findFirst().orElseThrow().limit();
    }
}
