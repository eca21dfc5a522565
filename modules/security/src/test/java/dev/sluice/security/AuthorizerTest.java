package dev.sluice.security;

import dev.sluice.core.Role;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.AccessRule;
import dev.sluice.core.CallKind;
import dev.sluice.core.Caller;
import dev.sluice.core.Json;
import dev.sluice.core.ServerPolicy;
import dev.sluice.core.ToolMode;
import dev.sluice.core.ToolPolicy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class AuthorizerTest {

    private static final String SERVER = "pg";

    private final Authorizer authorizer = new Authorizer(Role.ANALYST, Role.ENGINEER);

    private static ToolPolicy mode(ToolMode mode) {
        return new ToolPolicy(mode, null, Set.of(), List.of(), List.of());
    }

    private static ToolPolicy mode(ToolMode mode, AccessRule... rules) {
        return new ToolPolicy(mode, null, Set.of(), List.of(), List.of(rules));
    }

    private static AccessRule allowRoles(String... roles) {
        return new AccessRule(AccessRule.Effect.ALLOW, Set.of(roles), Set.of(), Set.of());
    }

    private static AccessRule denyRoles(String... roles) {
        return new AccessRule(AccessRule.Effect.DENY, Set.of(roles), Set.of(), Set.of());
    }

    private static AccessRule denyGroups(String... groups) {
        return new AccessRule(AccessRule.Effect.DENY, Set.of(), Set.of(), Set.of(groups));
    }

    /** Like a catalog entry: two listed tools, the rest left to the upstream's annotations. */
    private static final ServerPolicy CATALOG = new ServerPolicy(Set.of(), null, List.of(),
            Map.of("read", mode(ToolMode.READ), "write", mode(ToolMode.WRITE)));

    private static ObjectNode readOnlyHint(boolean value) {
        ObjectNode definition = Json.object().put("name", "x");
        definition.putObject("annotations").put("readOnlyHint", value);
        return definition;
    }

    private static Caller caller(Role role) {
        return new Caller("alice", role.id(), "acme", Set.of(), null, Set.of());
    }

    private static Caller caller(Role role, Set<String> groups) {
        return new Caller("alice", role.id(), "acme", groups, null, Set.of());
    }

    private boolean mayCall(Caller caller, ServerPolicy policy, String tool, ObjectNode definition) {
        return authorizer.decide(caller, CallKind.TOOL, SERVER, policy, tool, definition).allowed();
    }

    @Nested
    class ByRole {
        @ParameterizedTest
        @CsvSource({
            // role, read, write, hinted read-only, unannotated
            "VIEWER, false, false, false, false",
            "ANALYST, true, false, true, false",
            "ENGINEER, true, true, true, true",
            "ADMIN, true, true, true, true",
            "OWNER, true, true, true, true",
        })
        void eachRoleGetsItsShareOfTheCatalog(Role role, boolean read, boolean write, boolean hinted,
                boolean unannotated) {
            Caller caller = caller(role);
            assertThat(mayCall(caller, CATALOG, "read", null)).as("read").isEqualTo(read);
            assertThat(mayCall(caller, CATALOG, "write", null)).as("write").isEqualTo(write);
            assertThat(mayCall(caller, CATALOG, "hinted", readOnlyHint(true))).as("hinted").isEqualTo(hinted);
            assertThat(mayCall(caller, CATALOG, "unannotated", Json.object().put("name", "unannotated")))
                    .as("unannotated").isEqualTo(unannotated);
        }

        @Test
        void aDenialNamesTheRoleAndTheRoleNeeded() {
            Authorizer.Decision decision = authorizer.decide(caller(Role.ANALYST), CallKind.TOOL, SERVER, CATALOG,
                    "write", null);
            assertThat(decision.allowed()).isFalse();
            assertThat(decision.reason()).contains("analyst").contains("needs engineer").contains("pg/write");

            Authorizer.Decision viewer = authorizer.decide(caller(Role.VIEWER), CallKind.TOOL, SERVER, CATALOG,
                    "read", null);
            assertThat(viewer.reason()).contains("viewer").contains("needs analyst");
        }

        @Test
        void theMinimaAreConfigurable() {
            Authorizer strict = new Authorizer(Role.ENGINEER, Role.ADMIN);
            assertThat(strict.decide(caller(Role.ANALYST), CallKind.TOOL, SERVER, CATALOG, "read", null).allowed())
                    .isFalse();
            assertThat(strict.decide(caller(Role.ENGINEER), CallKind.TOOL, SERVER, CATALOG, "write", null)
                    .allowed()).isFalse();
            assertThat(strict.decide(caller(Role.ADMIN), CallKind.TOOL, SERVER, CATALOG, "write", null).allowed())
                    .isTrue();
        }

        @Test
        void anUnknownRoleIsDenied() {
            Caller stranger = new Caller("bob", "superuser", null, Set.of(), null, Set.of());
            Authorizer.Decision decision = authorizer.decide(stranger, CallKind.TOOL, SERVER, CATALOG, "read", null);
            assertThat(decision.allowed()).isFalse();
            assertThat(decision.reason()).contains("superuser");
        }

        @ParameterizedTest
        @EnumSource(value = CallKind.class, names = {"PROMPT", "RESOURCE"})
        void promptsAndResourcesNeedTheReadMinimum(CallKind kind) {
            // even a name the catalog lists as a write tool: prompts and resources only read
            assertThat(authorizer.decide(caller(Role.ANALYST), kind, SERVER, CATALOG, "write", null).allowed())
                    .isTrue();
            assertThat(authorizer.decide(caller(Role.VIEWER), kind, SERVER, CATALOG, "file:///x", null).allowed())
                    .isFalse();
        }
    }

    @Nested
    class Modes {
        @Test
        void theCatalogsModeWinsOverTheUpstreamsHint() {
            assertThat(Authorizer.mode(CATALOG, "write", readOnlyHint(true))).isEqualTo(ToolMode.WRITE);
            assertThat(Authorizer.mode(CATALOG, "read", readOnlyHint(false))).isEqualTo(ToolMode.READ);
        }

        @Test
        void theServersDefaultModeAppliesToUnlistedTools() {
            ServerPolicy readByDefault = new ServerPolicy(Set.of(), ToolMode.READ, List.of(),
                    Map.of("write", mode(ToolMode.WRITE)));
            assertThat(Authorizer.mode(readByDefault, "other", null)).isEqualTo(ToolMode.READ);
            assertThat(Authorizer.mode(readByDefault, "write", null)).isEqualTo(ToolMode.WRITE);
            assertThat(mayCall(caller(Role.ANALYST), readByDefault, "other", null)).isTrue();
        }

        @Test
        void withoutPolicyOrHintAToolIsWrite() {
            assertThat(Authorizer.mode(ServerPolicy.OPEN, "x", null)).isEqualTo(ToolMode.WRITE);
            assertThat(Authorizer.mode(ServerPolicy.OPEN, "x", readOnlyHint(false))).isEqualTo(ToolMode.WRITE);
            assertThat(Authorizer.mode(ServerPolicy.OPEN, "x", readOnlyHint(true))).isEqualTo(ToolMode.READ);
        }
    }

    @Nested
    class Rules {
        @Test
        void aToolRuleCanAllowALowerRoleAWriteTool() {
            ServerPolicy policy = new ServerPolicy(Set.of(), null, List.of(),
                    Map.of("write", mode(ToolMode.WRITE, allowRoles("analyst"))));
            Authorizer.Decision decision = authorizer.decide(caller(Role.ANALYST), CallKind.TOOL, SERVER, policy,
                    "write", null);
            assertThat(decision.allowed()).isTrue();
            assertThat(decision.reason()).contains("tool 'pg/write'");
            // the rule speaks of analysts only
            assertThat(mayCall(caller(Role.VIEWER), policy, "write", null)).isFalse();
        }

        @Test
        void aServerDenyForAGroupDeniesEvenAnOwner() {
            ServerPolicy policy = new ServerPolicy(Set.of(), null, List.of(denyGroups("contractors")),
                    Map.of("read", mode(ToolMode.READ)));
            Authorizer.Decision decision = authorizer.decide(caller(Role.OWNER, Set.of("staff", "contractors")),
                    CallKind.TOOL, SERVER, policy, "read", null);
            assertThat(decision.allowed()).isFalse();
            assertThat(decision.reason()).contains("server 'pg'");
            assertThat(mayCall(caller(Role.OWNER, Set.of("staff")), policy, "read", null)).isTrue();
        }

        @Test
        void aServerDenyAppliesToPromptsAndResourcesToo() {
            ServerPolicy policy = new ServerPolicy(Set.of(), null, List.of(denyGroups("contractors")), Map.of());
            assertThat(authorizer.decide(caller(Role.OWNER, Set.of("contractors")), CallKind.RESOURCE, SERVER,
                    policy, "file:///x", null).allowed()).isFalse();
        }

        @Test
        void theToolRuleIsCheckedBeforeTheServerRule() {
            ServerPolicy policy = new ServerPolicy(Set.of(), null, List.of(denyRoles("analyst")),
                    Map.of("write", mode(ToolMode.WRITE, allowRoles("analyst"))));
            assertThat(mayCall(caller(Role.ANALYST), policy, "write", null)).isTrue();
            assertThat(mayCall(caller(Role.ANALYST), policy, "read", null))
                    .as("the server rule still applies to the other tools").isFalse();

            ServerPolicy reverse = new ServerPolicy(Set.of(), null, List.of(allowRoles("analyst")),
                    Map.of("write", mode(ToolMode.WRITE, denyRoles("analyst"))));
            assertThat(mayCall(caller(Role.ANALYST), reverse, "write", null)).isFalse();
        }

        @Test
        void theFirstMatchingRuleWins() {
            ServerPolicy policy = new ServerPolicy(Set.of(), null,
                    List.of(denyRoles("engineer"), allowRoles("engineer")), Map.of());
            assertThat(mayCall(caller(Role.ENGINEER), policy, "anything", null)).isFalse();
        }

        @Test
        void aRuleForAUserMatchesTheSubject() {
            ServerPolicy policy = new ServerPolicy(Set.of(), null,
                    List.of(new AccessRule(AccessRule.Effect.DENY, Set.of(), Set.of("alice"), Set.of())), Map.of());
            assertThat(mayCall(caller(Role.ADMIN), policy, "x", null)).isFalse();
            Caller bob = new Caller("bob", "admin", null, Set.of(), null, Set.of());
            assertThat(mayCall(bob, policy, "x", null)).isTrue();
        }

        @Test
        void aRuleThatMatchesNobodyFallsThroughToTheRoles() {
            ServerPolicy policy = new ServerPolicy(Set.of(), null, List.of(denyGroups("contractors")),
                    Map.of("write", mode(ToolMode.WRITE)));
            assertThat(mayCall(caller(Role.ANALYST), policy, "write", null)).isFalse();
            assertThat(mayCall(caller(Role.ENGINEER), policy, "write", null)).isTrue();
        }
    }

    @Nested
    class ServerRoles {
        private final ServerPolicy engineersOnly = new ServerPolicy(Set.of("engineer", "owner"), null,
                List.of(), Map.of("read", mode(ToolMode.READ)));

        @Test
        void aRoleTheServerDoesNotNameIsDeniedEvenAboveIt() {
            Authorizer.Decision admin = authorizer.decide(caller(Role.ADMIN), CallKind.TOOL, SERVER, engineersOnly,
                    "read", null);
            assertThat(admin.allowed()).isFalse();
            assertThat(admin.reason()).contains("admin").contains("engineer, owner");
            assertThat(mayCall(caller(Role.ANALYST), engineersOnly, "read", null)).isFalse();
        }

        @Test
        void aNamedRoleIsAllowed() {
            assertThat(mayCall(caller(Role.ENGINEER), engineersOnly, "read", null)).isTrue();
            assertThat(mayCall(caller(Role.OWNER), engineersOnly, "read", null)).isTrue();
        }

        @Test
        void theServersRolesComeBeforeAnyAllowRule() {
            ServerPolicy policy = new ServerPolicy(Set.of("engineer"), null, List.of(allowRoles("analyst")),
                    Map.of());
            assertThat(mayCall(caller(Role.ANALYST), policy, "x", null)).isFalse();
        }

        @Test
        void theRoleOfTheCallerIsMatchedWhateverItsCase() {
            Caller upper = new Caller("alice", "ENGINEER", null, Set.of(), null, Set.of());
            assertThat(mayCall(upper, engineersOnly, "read", null)).isTrue();
        }
    }

    @Nested
    class ApiKeyScope {
        private Caller keyCaller(Role role, String... scope) {
            return new Caller("ci", role.id(), null, Set.of(), "key-1", Set.of(scope));
        }

        @Test
        void patternsMatchServerSlashTool() {
            assertThat(Authorizer.inScope(Set.of("pg/read_*"), "pg", "read_rows")).isTrue();
            assertThat(Authorizer.inScope(Set.of("pg/read_*"), "pg", "write_rows")).isFalse();
            assertThat(Authorizer.inScope(Set.of("pg/read_*"), "other", "read_rows")).isFalse();
            assertThat(Authorizer.inScope(Set.of("*/query"), "pg", "query")).isTrue();
            assertThat(Authorizer.inScope(Set.of("pg/query"), "pg", "query")).isTrue();
            assertThat(Authorizer.inScope(Set.of("pg/query"), "pg", "query2")).isFalse();
            assertThat(Authorizer.inScope(Set.of("gh/*", "pg/query"), "pg", "query")).isTrue();
        }

        @Test
        void patternCharactersOtherThanTheStarAreLiteral() {
            assertThat(Authorizer.inScope(Set.of("pg/read.rows"), "pg", "readXrows")).isFalse();
            assertThat(Authorizer.inScope(Set.of("pg/(a|b)"), "pg", "a")).isFalse();
        }

        @Test
        void aKeyIsLimitedToItsScopeWhateverItsRole() {
            Caller key = keyCaller(Role.OWNER, "pg/read_*");
            assertThat(mayCall(key, ServerPolicy.OPEN, "read_rows", null)).isTrue();
            Authorizer.Decision outside = authorizer.decide(key, CallKind.TOOL, SERVER, ServerPolicy.OPEN,
                    "write_rows", null);
            assertThat(outside.allowed()).isFalse();
            assertThat(outside.reason()).contains("pg/write_rows").contains("scope");
        }

        @Test
        void theScopeDoesNotRaiseTheRole() {
            Caller key = keyCaller(Role.ANALYST, "pg/*");
            assertThat(mayCall(key, CATALOG, "write", null)).isFalse();
            assertThat(mayCall(key, CATALOG, "read", null)).isTrue();
        }

        @Test
        void theScopeComesBeforeAnAllowRule() {
            ServerPolicy policy = new ServerPolicy(Set.of(), null, List.of(allowRoles("owner")), Map.of());
            assertThat(mayCall(keyCaller(Role.OWNER, "pg/read_*"), policy, "drop_all", null)).isFalse();
        }

        @Test
        void theScopeLimitsPromptsAndResourcesToo() {
            Caller toolOnly = keyCaller(Role.OWNER, "pg/query");
            for (CallKind kind : List.of(CallKind.PROMPT, CallKind.RESOURCE)) {
                Authorizer.Decision d = authorizer.decide(toolOnly, kind, SERVER, ServerPolicy.OPEN, "file:///etc/x", null);
                assertThat(d.allowed()).as(kind.name()).isFalse();
                assertThat(d.reason()).contains("scope");
            }
            Caller wholeServer = keyCaller(Role.ANALYST, "pg/*");
            assertThat(authorizer.decide(wholeServer, CallKind.RESOURCE, SERVER, ServerPolicy.OPEN, "pg://table/x", null)
                    .allowed()).isTrue();
            assertThat(authorizer.decide(wholeServer, CallKind.PROMPT, "other", ServerPolicy.OPEN, "p", null)
                    .allowed()).isFalse();
        }

        @Test
        void anEmptyScopeLimitsNothing() {
            assertThat(mayCall(keyCaller(Role.ENGINEER), CATALOG, "write", null)).isTrue();
        }
    }
}
