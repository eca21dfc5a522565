package dev.sluice.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.core.AccessRule;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.ServerPolicy;
import dev.sluice.core.ToolMode;
import dev.sluice.core.ToolPolicy;
import dev.sluice.core.SluiceException;
import dev.sluice.registry.CatalogSnapshot;
import dev.sluice.registry.ServerDefinition;
import dev.sluice.registry.Transport;
import dev.sluice.registry.VirtualServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CatalogParserTest {

    private static final String FULL_CATALOG = """
            separator: "."
            servers:
              - name: postgres
                description: read-only SQL
                tier: 1
                category: database
                transport: stdio
                command: /usr/bin/mcp-server-postgres
                args: ["--read-only", "${env:PG_URL}"]
                env:
                  PGPASSWORD: ${file:/run/secrets/pg}
                  PGAPPNAME: sluice
                cwd: /var/lib/sluice
                startup: eager
                request-timeout: PT30S
                idle-timeout: PT10M
                roles: [analyst, admin]
                install: npm i -g mcp-server-postgres
              - name: everything-http
                transport: streamable-http
                url: https://mcp.example.com/mcp
                headers:
                  Authorization: Bearer ${env:TOKEN}
              - name: legacy
                transport: sse
                url: http://127.0.0.1:3902/sse
                enabled: false
            virtual-servers:
              - name: db-only
                description: the database alone
                servers: [postgres]
                tools: ["postgres.query", "postgres.list_*"]
              - name: web
                servers: [everything-http, legacy]
            """;

    private static CatalogSnapshot parse(String yaml) {
        return CatalogParser.parse(yaml, "catalog.yaml");
    }

    /** The exception a bad catalog raises, checked to be an invalid-catalog error. */
    private static SluiceException rejection(String yaml) {
        SluiceException e = catchThrowableOfType(SluiceException.class, () -> parse(yaml));
        assertThat(e).as("parsing should have failed").isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_CATALOG);
        return e;
    }

    @Nested
    class AValidCatalog {

        @Test
        void keepsTheSeparatorTheSourceAndEveryServerInFileOrder() {
            CatalogSnapshot snapshot = parse(FULL_CATALOG);

            assertThat(snapshot.separator()).isEqualTo(".");
            assertThat(snapshot.source()).isEqualTo("catalog.yaml");
            assertThat(snapshot.loadedAt()).isNotNull();
            assertThat(snapshot.servers()).extracting(ServerDefinition::name)
                    .containsExactly("postgres", "everything-http", "legacy");
        }

        @Test
        void readsEveryFieldOfAStdioServer() {
            ServerDefinition pg = parse(FULL_CATALOG).server("postgres").orElseThrow();

            assertThat(pg.description()).isEqualTo("read-only SQL");
            assertThat(pg.tier()).isEqualTo(1);
            assertThat(pg.category()).isEqualTo("database");
            assertThat(pg.enabled()).isTrue();
            assertThat(pg.startup()).isEqualTo(ServerDefinition.Startup.EAGER);
            assertThat(pg.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(pg.idleTimeout()).isEqualTo(Duration.ofMinutes(10));
            assertThat(pg.policy().allowedRoles()).isEqualTo(Set.of("analyst", "admin"));
            assertThat(pg.install()).isEqualTo("npm i -g mcp-server-postgres");
            assertThat(pg.transport()).isInstanceOfSatisfying(Transport.Stdio.class, stdio -> {
                assertThat(stdio.command()).isEqualTo("/usr/bin/mcp-server-postgres");
                assertThat(stdio.args()).containsExactly("--read-only", "${env:PG_URL}");
                assertThat(stdio.env()).isEqualTo(Map.of(
                        "PGPASSWORD", "${file:/run/secrets/pg}", "PGAPPNAME", "sluice"));
                assertThat(stdio.workingDirectory()).isEqualTo("/var/lib/sluice");
            });
        }

        @Test
        void keepsSecretReferencesUnresolved() {
            Transport.StreamableHttp http = (Transport.StreamableHttp) parse(FULL_CATALOG)
                    .server("everything-http").orElseThrow().transport();

            assertThat(http.headers()).containsEntry("Authorization", "Bearer ${env:TOKEN}");
        }

        @Test
        void readsHttpServersWithTheirUrls() {
            CatalogSnapshot snapshot = parse(FULL_CATALOG);

            assertThat(snapshot.server("everything-http").orElseThrow().transport())
                    .isEqualTo(new Transport.StreamableHttp(URI.create("https://mcp.example.com/mcp"),
                            Map.of("Authorization", "Bearer ${env:TOKEN}")));
            assertThat(snapshot.server("legacy").orElseThrow().transport())
                    .isEqualTo(new Transport.Sse(URI.create("http://127.0.0.1:3902/sse"), Map.of()));
        }

        @Test
        void acceptsHttpAsAnotherNameForStreamableHttp() {
            CatalogSnapshot snapshot = parse("""
                    servers:
                      - name: remote
                        transport: http
                        url: http://localhost:3901/mcp
                    """);

            assertThat(snapshot.server("remote").orElseThrow().transport().kind()).isEqualTo("streamable-http");
        }

        @Test
        void aDisabledServerIsKeptButNotAmongTheEnabledOnes() {
            CatalogSnapshot snapshot = parse(FULL_CATALOG);

            assertThat(snapshot.server("legacy").orElseThrow().enabled()).isFalse();
            assertThat(snapshot.enabledServers()).containsOnlyKeys("postgres", "everything-http");
        }

        @Test
        void fillsInDefaultsForOmittedFields() {
            ServerDefinition minimal = parse("""
                    servers:
                      - name: minimal
                        transport: stdio
                        command: mcp-server
                    """).servers().get(0);

            assertThat(minimal.requestTimeout()).isEqualTo(Duration.ofSeconds(60));
            assertThat(minimal.startup()).isEqualTo(ServerDefinition.Startup.LAZY);
            assertThat(minimal.enabled()).isTrue();
            assertThat(minimal.idleTimeout()).isNull();
            assertThat(minimal.tier()).isZero();
            assertThat(minimal.category()).isEqualTo("general");
            assertThat(minimal.description()).isEmpty();
            assertThat(minimal.policy().allowedRoles()).isEmpty();
            assertThat(minimal.install()).isNull();
            assertThat(minimal.protocol()).isEqualTo(ServerDefinition.Protocol.AUTO);
            assertThat(minimal.required()).as("optional unless said").isFalse();
            assertThat(minimal.transport()).isEqualTo(new Transport.Stdio("mcp-server", List.of(), Map.of(), null));
        }

        @Test
        void usesTheDefaultSeparatorWhenNoneIsGiven() {
            assertThat(parse("servers: []").separator()).isEqualTo("__");
        }

        @Test
        void readsVirtualServersInFileOrder() {
            CatalogSnapshot snapshot = parse(FULL_CATALOG);

            assertThat(snapshot.virtualServers()).containsExactly(
                    new VirtualServer("db-only", "the database alone", List.of("postgres"),
                            List.of("postgres.query", "postgres.list_*"), false),
                    new VirtualServer("web", "", List.of("everything-http", "legacy"), List.of(), true));
        }

        @Test
        void aOneServerVirtualServerIsUnprefixedUnlessItSaysOtherwise() {
            CatalogSnapshot snapshot = parse("""
                    servers:
                      - {name: a, transport: stdio, command: x}
                    virtual-servers:
                      - {name: implicit, servers: [a]}
                      - {name: explicit, servers: [a], prefix: true}
                    """);

            assertThat(snapshot.virtualServer("implicit").orElseThrow().prefixed()).isFalse();
            assertThat(snapshot.virtualServer("explicit").orElseThrow().prefixed()).isTrue();
        }

        @Test
        void aVirtualServerWithoutServersDrawsFromAllAndIsPrefixed() {
            VirtualServer all = parse("""
                    servers: []
                    virtual-servers:
                      - name: all
                    """).virtualServer("all").orElseThrow();

            assertThat(all.servers()).isEmpty();
            assertThat(all.prefixed()).isTrue();
        }

        @Test
        void acceptsJsonAsWell() {
            CatalogSnapshot snapshot = CatalogParser.parse(
                    "{\"servers\": [{\"name\": \"j\", \"transport\": \"sse\", \"url\": \"http://h/sse\"}]}",
                    "catalog.json");

            assertThat(snapshot.servers()).extracting(ServerDefinition::name).containsExactly("j");
        }
    }

    @Nested
    class ServerProblems {

        @Test
        void anUnknownFieldIsNamedWithTheEntryAndServer() {
            SluiceException e = rejection("""
                    servers:
                      - {name: ok, transport: stdio, command: x}
                      - name: pg
                        transport: stdio
                        command: x
                        comand: typo
                    """);

            assertThat(e.getMessage()).contains("catalog.yaml")
                    .contains("servers[1] 'pg': unknown field 'comand'");
        }

        @Test
        void aStdioServerNeedsACommand() {
            assertThat(rejection("""
                    servers:
                      - {name: pg, transport: stdio}
                    """).getMessage())
                    .contains("servers[0] 'pg': 'command' is required for transport stdio");
        }

        @Test
        void anUnknownOrMissingTransportIsNamed() {
            assertThat(rejection("""
                    servers:
                      - {name: pg, transport: websocket, url: 'http://h/'}
                    """).getMessage())
                    .contains("servers[0] 'pg': 'transport' must be stdio, streamable-http or sse, not 'websocket'");
            assertThat(rejection("""
                    servers:
                      - {name: pg, command: x}
                    """).getMessage())
                    .contains("servers[0] 'pg': 'transport'");
        }

        @Test
        void aUrlMustBeHttpOrHttpsWithAHost() {
            assertThat(rejection("""
                    servers:
                      - {name: remote, transport: streamable-http, url: 'ftp://files.example.com/mcp'}
                    """).getMessage())
                    .contains("servers[0] 'remote': 'url' must be an http or https URL, not 'ftp://files.example.com/mcp'");
            assertThat(rejection("""
                    servers:
                      - {name: remote, transport: sse, url: 'not a url'}
                    """).getMessage())
                    .contains("servers[0] 'remote': 'url'").contains("'not a url'");
            assertThat(rejection("""
                    servers:
                      - {name: remote, transport: sse}
                    """).getMessage())
                    .contains("servers[0] 'remote': 'url'");
        }

        @Test
        void aDurationMustBeIso8601AndPositive() {
            assertThat(rejection("""
                    servers:
                      - {name: pg, transport: stdio, command: x, request-timeout: 30s}
                    """).getMessage())
                    .contains("servers[0] 'pg': 'request-timeout' must be an ISO-8601 duration such as PT30S, not '30s'");
            assertThat(rejection("""
                    servers:
                      - {name: pg, transport: stdio, command: x, idle-timeout: PT0S}
                    """).getMessage())
                    .contains("servers[0] 'pg': 'idle-timeout' must be positive");
        }

        @Test
        void theProtocolEraIsAutoSessionOrStateless() {
            CatalogSnapshot eras = parse("""
                    servers:
                      - {name: a, transport: streamable-http, url: "http://h/mcp", protocol: stateless}
                      - {name: b, transport: streamable-http, url: "http://h/mcp", protocol: session}
                      - {name: c, transport: stdio, command: x, protocol: auto, required: true}
                    """);
            assertThat(eras.servers().get(2).required()).isTrue();
            assertThat(eras.servers()).extracting(ServerDefinition::protocol).containsExactly(
                    ServerDefinition.Protocol.STATELESS, ServerDefinition.Protocol.SESSION, ServerDefinition.Protocol.AUTO);

            assertThat(rejection("""
                    servers:
                      - {name: pg, transport: stdio, command: x, protocol: modern}
                    """).getMessage())
                    .contains("servers[0] 'pg': 'protocol' must be auto, session or stateless, not 'modern'");
        }

        @Test
        void aBadStartupTierOrEnabledIsNamed() {
            String message = rejection("""
                    servers:
                      - {name: pg, transport: stdio, command: x, startup: sometimes, tier: 7, enabled: "yes"}
                    """).getMessage();

            assertThat(message)
                    .contains("servers[0] 'pg': 'startup' must be lazy or eager, not 'sometimes'")
                    .contains("servers[0] 'pg': 'tier' must be 0, 1, 2 or 3")
                    .contains("servers[0] 'pg': 'enabled' must be true or false");
        }

        @Test
        void aNameUsedTwiceIsReportedAtItsSecondUse() {
            assertThat(rejection("""
                    servers:
                      - {name: pg, transport: stdio, command: x}
                      - {name: pg, transport: stdio, command: y}
                    """).getMessage())
                    .contains("servers[1]: name 'pg' is used twice")
                    .doesNotContain("servers[0]");
        }

        @Test
        void aServerNameMustBeLowerCaseLettersDigitsAndSingleHyphens() {
            for (String bad : List.of("Postgres", "my__server", "-pg", "pg--x", "")) {
                assertThat(rejection("servers:\n  - {name: '" + bad + "', transport: stdio, command: x}\n")
                        .getMessage())
                        .as(bad)
                        .contains("servers[0]: 'name' must be lower-case letters, digits and single hyphens")
                        .contains("not '" + bad + "'");
            }
        }

        @Test
        void anEntryThatIsNotAMappingIsNamed() {
            assertThat(rejection("servers:\n  - just-a-name\n").getMessage())
                    .contains("servers[0] must be a mapping");
        }

        @Test
        void argsEnvAndHeadersMustHaveTheRightShape() {
            String message = rejection("""
                    servers:
                      - {name: a, transport: stdio, command: x, args: "--flag", env: [A]}
                      - {name: b, transport: sse, url: 'http://h/sse', headers: {X-Token: [1, 2]}}
                    """).getMessage();

            assertThat(message)
                    .contains("servers[0] 'a': 'args' must be a list")
                    .contains("servers[0] 'a': 'env' must be a mapping")
                    .contains("servers[1] 'b': 'headers.X-Token' must be a string");
        }
    }

    @Nested
    class CatalogProblems {

        @Test
        void aVirtualServerNamingAnUnknownServerIsReported() {
            assertThat(rejection("""
                    servers:
                      - {name: pg, transport: stdio, command: x}
                    virtual-servers:
                      - {name: ok, servers: [pg]}
                      - {name: reports, servers: [pg, mysql]}
                    """).getMessage())
                    .contains("virtual-servers[1] 'reports': server 'mysql' is not in the catalog")
                    .doesNotContain("'pg' is not in the catalog");
        }

        @Test
        void aVirtualServerNamingAServerThatFailedToParseIsAlsoReported() {
            String message = rejection("""
                    servers:
                      - {name: pg, transport: stdio}
                    virtual-servers:
                      - {name: db, servers: [pg]}
                    """).getMessage();

            assertThat(message).contains("servers[0] 'pg': 'command' is required")
                    .contains("virtual-servers[0] 'db': server 'pg' is not in the catalog");
        }

        @Test
        void unprefixedNamesNeedExactlyOneServer() {
            assertThat(rejection("""
                    servers:
                      - {name: a, transport: stdio, command: x}
                      - {name: b, transport: stdio, command: x}
                    virtual-servers:
                      - {name: both, servers: [a, b], prefix: false}
                    """).getMessage())
                    .contains("virtual-servers[0] 'both': 'prefix: false' needs exactly one server");
        }

        @Test
        void aVirtualServerNameMustBeAPathSegmentAndUnique() {
            assertThat(rejection("""
                    servers: []
                    virtual-servers:
                      - {name: "Bad/Name"}
                    """).getMessage())
                    .contains("virtual-servers[0]: 'name' must be lower-case letters, digits and single hyphens, not 'Bad/Name'");
            assertThat(rejection("""
                    servers: []
                    virtual-servers:
                      - {name: twice}
                      - {name: twice}
                    """).getMessage())
                    .contains("virtual-servers[1]: name 'twice' is used twice");
        }

        @Test
        void theSeparatorMayNotBeEmptyOrContainLettersDigitsOrHyphens() {
            for (String bad : List.of("", "x", "-", "_1")) {
                assertThat(rejection("separator: '" + bad + "'\nservers: []\n").getMessage())
                        .as("separator '%s'", bad)
                        .contains("'separator' must be non-empty and contain no letters, digits or '-'")
                        .contains("not '" + bad + "'");
            }
            assertThat(parse("separator: '::'\nservers: []\n").separator()).isEqualTo("::");
        }

        @Test
        void anUnknownTopLevelFieldIsNamed() {
            assertThat(rejection("servers: []\nvirtual_servers: []\n").getMessage())
                    .contains("unknown top-level field 'virtual_servers'");
        }

        @Test
        void serversMustBeAListAndTheTopLevelAMapping() {
            assertThat(rejection("servers: {name: pg}\n").getMessage()).contains("'servers' must be a list");
            assertThat(rejection("- name: pg\n").getMessage())
                    .contains("the top level must be a mapping with 'servers'");
        }

        @Test
        void everyProblemIsReportedInOneException() {
            SluiceException e = rejection("""
                    separator: x
                    servers:
                      - {name: pg, transport: stdio}
                      - {name: web, transport: sse, url: 'gopher://h'}
                      - {name: slow, transport: stdio, command: x, request-timeout: soon}
                    virtual-servers:
                      - {name: v, servers: [nowhere]}
                    """);

            assertThat(e.getMessage())
                    .startsWith("catalog catalog.yaml has 5 problems: ")
                    .contains("'separator' must be non-empty")
                    .contains("servers[0] 'pg': 'command' is required")
                    .contains("servers[1] 'web': 'url'")
                    .contains("servers[2] 'slow': 'request-timeout'")
                    .contains("virtual-servers[0] 'v': server 'nowhere' is not in the catalog");
        }

        @Test
        void aSingleProblemIsCountedInTheSingular() {
            assertThat(rejection("servers:\n  - {name: pg, transport: stdio}\n").getMessage())
                    .startsWith("catalog catalog.yaml has 1 problem: servers[0] 'pg'");
        }
    }

    @Nested
    class InvalidYaml {

        @Test
        void namesTheSourceAndTheLine() {
            assertThatThrownBy(() -> CatalogParser.parse("""
                    servers:
                      - name: pg
                        transport: stdio
                        command: x: y
                    """, "/etc/sluice/catalog.yaml"))
                    .isInstanceOfSatisfying(SluiceException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_CATALOG))
                    .hasMessageStartingWith("catalog /etc/sluice/catalog.yaml is not valid YAML: ")
                    .hasMessageContaining("line 4");
        }

        @Test
        void anUnterminatedQuoteIsReportedAtItsLine() {
            assertThat(rejection("servers:\n  - name: \"pg\n").getMessage())
                    .contains("is not valid YAML")
                    .contains("line 2");
        }
    }

    @Nested
    class StrictnessOfVirtualServersAndOddInput {
        @Test
        void aVirtualServersValueThatIsNotAListIsReported() {
            assertThat(rejection("servers: []\nvirtual-servers: oops\n").detail())
                    .contains("'virtual-servers' must be a list");
        }

        @Test
        void anUnknownVirtualServerFieldIsReportedRatherThanWideningAccess() {
            String yaml = """
                    servers:
                      - {name: a, transport: stdio, command: x}
                    virtual-servers:
                      - {name: v, servers: [a], include: ['a__x']}
                    """;
            assertThat(rejection(yaml).detail()).contains("virtual-servers[0] 'v'").contains("unknown field 'include'");
        }

        @Test
        void aPrefixThatIsNotABooleanIsReported() {
            String yaml = """
                    servers:
                      - {name: a, transport: stdio, command: x}
                    virtual-servers:
                      - {name: v, servers: [a], prefix: nope}
                    """;
            assertThat(rejection(yaml).detail()).contains("'prefix' must be true or false");
        }

        @Test
        void absurdlyDeepNestingIsAnInvalidCatalogNotACrash() {
            String yaml = "servers: " + "[".repeat(1500) + "]".repeat(1500);
            assertThat(rejection(yaml).detail()).contains("not valid YAML");
        }
    }

    @Nested
    class AccessPolicies {
        private static final String POLICY_CATALOG = """
                servers:
                  - name: warehouse
                    transport: stdio
                    command: postgres-mcp
                    default-mode: read
                    access:
                      - deny: {groups: [contractors]}
                      - allow: all
                    tools:
                      list_schemas: read
                      load_table:
                        mode: write
                        sql: {argument: statement, deny: [delete]}
                        access:
                          - allow: {users: [etl-bot], roles: [analyst]}
                      execute_sql: {mode: read, sql: sql}
                      run_model: {mode: write, command-arguments: [select]}
                """;

        @Test
        void readsModesRulesSqlAndCommandArguments() {
            ServerPolicy policy = parse(POLICY_CATALOG).server("warehouse").orElseThrow().policy();
            assertThat(policy.defaultMode()).isEqualTo(ToolMode.READ);
            assertThat(policy.access()).extracting(AccessRule::effect)
                    .containsExactly(AccessRule.Effect.DENY, AccessRule.Effect.ALLOW);
            assertThat(policy.access().get(0).groups()).containsExactly("contractors");
            assertThat(policy.tool("list_schemas").mode()).isEqualTo(ToolMode.READ);
            ToolPolicy load = policy.tool("load_table");
            assertThat(load.mode()).isEqualTo(ToolMode.WRITE);
            assertThat(load.sqlArgument()).isEqualTo("statement");
            assertThat(load.deniedStatements()).containsExactly("DELETE");
            assertThat(load.access().get(0).users()).containsExactly("etl-bot");
            assertThat(policy.tool("execute_sql").sqlArgument()).isEqualTo("sql");
            assertThat(policy.tool("run_model").commandArguments()).containsExactly("select");
            assertThat(policy.tool("not_named")).isEqualTo(ToolPolicy.NONE);
        }

        @Test
        void namesEveryMistakeInAPolicy() {
            String detail = rejection("""
                    servers:
                      - name: warehouse
                        transport: stdio
                        command: x
                        default-mode: sometimes
                        roles: [superuser]
                        access:
                          - allow: {roles: [analyst]}
                            deny: {roles: [viewer]}
                          - allow: {teams: [a]}
                        tools:
                          q: {mode: read, sql: {deny: [DROP]}, shell: true}
                    """).detail();
            assertThat(detail).contains("'default-mode' must be read or write, not 'sometimes'")
                    .contains("'roles' names 'superuser', which is not a role")
                    .contains("'access'[0] must have exactly one key, allow or deny")
                    .contains("unknown field 'teams'")
                    .contains("tools.q: 'sql.argument' names the argument that holds SQL and is required")
                    .contains("tools.q: unknown field 'shell'");
        }

        @Test
        void theBuiltInCatalogSaysWhichToolsWrite() throws java.io.IOException {
            String text;
            try (var in = CatalogParser.class.getResourceAsStream(FileCatalog.DEFAULT_RESOURCE)) {
                text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            CatalogSnapshot builtIn = CatalogParser.parse(text, "built-in");
            ServerPolicy memory = builtIn.server("memory").orElseThrow().policy();
            assertThat(memory.tool("read_graph").mode()).isEqualTo(ToolMode.READ);
            assertThat(memory.tool("create_entities").mode()).as("write by default").isNull();
            ServerPolicy everything = builtIn.server("everything").orElseThrow().policy();
            assertThat(everything.defaultMode()).isEqualTo(ToolMode.READ);
            assertThat(everything.tool("get-env").mode()).isEqualTo(ToolMode.WRITE);
        }
    }

    @Nested
    class CachePolicies {
        @Test
        void readsServerDefaultsAndToolOverrides() {
            ServerPolicy policy = parse("""
                    servers:
                      - name: warehouse
                        transport: stdio
                        command: postgres-mcp
                        cache: {category: analytics, stale-if-error: PT15M}
                        tools:
                          list_schemas: {mode: read, cache: schema}
                          whoami: {mode: read, cache: {scope: user, ttl: PT10S}}
                          status: {cache: {category: health, scope: public, stale-if-error: false}}
                          secrets: {mode: read, cache: false}
                    """).server("warehouse").orElseThrow().policy();
            assertThat(policy.cache().category()).isEqualTo(dev.sluice.core.CacheCategory.ANALYTICS);
            var schemas = policy.cache("list_schemas");
            assertThat(schemas.category()).isEqualTo(dev.sluice.core.CacheCategory.SCHEMA);
            assertThat(schemas.staleIfError()).as("from the server").isEqualTo(java.time.Duration.ofMinutes(15));
            var whoami = policy.cache("whoami");
            assertThat(whoami.scope()).isEqualTo(dev.sluice.core.CachePolicy.Scope.USER);
            assertThat(whoami.ttl()).isEqualTo(java.time.Duration.ofSeconds(10));
            assertThat(whoami.category()).isEqualTo(dev.sluice.core.CacheCategory.ANALYTICS);
            var status = policy.cache("status");
            assertThat(status.scope()).isEqualTo(dev.sluice.core.CachePolicy.Scope.PUBLIC);
            assertThat(status.staleIfError()).isEqualTo(java.time.Duration.ZERO);
            assertThat(policy.cache("secrets").enabled()).isFalse();
            assertThat(policy.cache("unlisted").category()).isEqualTo(dev.sluice.core.CacheCategory.ANALYTICS);
        }

        @Test
        void namesEveryMistakeInACachePolicy() {
            String detail = rejection("""
                    servers:
                      - name: warehouse
                        transport: stdio
                        command: x
                        cache: {category: forever, ttl: 5 minutes, lifetime: 3}
                        tools:
                          drop: {mode: write, cache: true}
                          q: {cache: {scope: everyone, stale-if-error: true}}
                          r: {cache: [1]}
                    """).detail();
            assertThat(detail).contains("'cache': 'category': 'forever' is not a cache category")
                    .contains("'ttl' must be an ISO-8601 duration such as PT30S, not '5 minutes'")
                    .contains("'cache': unknown field 'lifetime'")
                    .contains("tools.drop: a write tool's results are never cached")
                    .contains("tools.q: 'cache': 'scope' must be permission, user or public, not 'everyone'")
                    .contains("'stale-if-error' must be a duration such as PT15M")
                    .contains("tools.r: 'cache' must be true, false, a category");
        }

        @Test
        void aZeroStaleWindowInAnyFormMeansNoStaleAnswers() {
            ServerPolicy policy = parse("""
                    servers:
                      - name: warehouse
                        transport: stdio
                        command: x
                        cache: {stale-if-error: PT15M}
                        tools:
                          a: {cache: {stale-if-error: PT0S}}
                          b: {cache: {stale-if-error: PT0M}}
                          c: {cache: {stale-if-error: false}}
                    """).server("warehouse").orElseThrow().policy();
            for (String tool : List.of("a", "b", "c")) {
                assertThat(policy.cache(tool).staleIfError()).as(tool).isEqualTo(java.time.Duration.ZERO);
            }
            assertThat(rejection("""
                    servers:
                      - {name: w, transport: stdio, command: x, cache: {stale-if-error: -PT1M, ttl: PT0S}}
                    """).detail()).contains("'stale-if-error' must be zero or positive")
                    .contains("'ttl' must be positive");
        }
    }

    @Nested
    class FaultTolerance {

        @Test
        void readsResilienceSettingsAndIdempotentTools() {
            ServerDefinition pg = parse("""
                    servers:
                      - name: pg
                        transport: stdio
                        command: x
                        resilience:
                          retry: {max-retries: 3, delay: PT0.1S}
                          circuit-breaker: {failure-ratio: 0.25, request-volume: 8}
                          bulkhead: {max-concurrent: 4}
                        tools:
                          refresh: {mode: write, idempotent: true}
                          query: {mode: read, idempotent: false}
                    """).server("pg").orElseThrow();

            dev.sluice.registry.Resilience r = pg.resilience().over(dev.sluice.registry.Resilience.DEFAULTS);
            assertThat(r.integer(dev.sluice.registry.Resilience.Setting.RETRY_MAX_RETRIES)).isEqualTo(3);
            assertThat(r.duration(dev.sluice.registry.Resilience.Setting.RETRY_DELAY)).hasMillis(100);
            assertThat(r.duration(dev.sluice.registry.Resilience.Setting.RETRY_MAX_DELAY)).as("a default").hasSeconds(2);
            assertThat(r.fraction(dev.sluice.registry.Resilience.Setting.CIRCUIT_BREAKER_FAILURE_RATIO)).isEqualTo(0.25);
            assertThat(r.integer(dev.sluice.registry.Resilience.Setting.CIRCUIT_BREAKER_REQUEST_VOLUME)).isEqualTo(8);
            assertThat(r.integer(dev.sluice.registry.Resilience.Setting.BULKHEAD_MAX_CONCURRENT)).isEqualTo(4);
            assertThat(pg.policy().tool("refresh").idempotent()).isTrue();
            assertThat(pg.policy().tool("query").idempotent()).isFalse();
            assertThat(pg.policy().tool("other").idempotent()).isNull();
        }

        @Test
        void namesEveryBadSetting() {
            String message = rejection("""
                    servers:
                      - name: pg
                        transport: stdio
                        command: x
                        resilience:
                          retry: {max-retries: 50, delay: soon, backoff: 2}
                          circuit-breaker: {failure-ratio: 1.5}
                          bulkhead: 4
                          fallback: {}
                        tools:
                          q: {idempotent: maybe}
                    """).getMessage();

            assertThat(message)
                    .contains("'pg': resilience 'retry.max-retries' must be a whole number from 0 to 10, not 50")
                    .contains("'retry.delay' must be an ISO-8601 duration such as PT2S, not 'soon'")
                    .contains("'resilience' has unknown setting 'retry.backoff'")
                    .contains("'circuit-breaker.failure-ratio' must be a number from 0 to 1, not '1.5'")
                    .contains("'resilience.bulkhead' must be a mapping")
                    .contains("'resilience' has unknown field 'fallback'")
                    .contains("'idempotent' must be true or false");
        }
    }

    @Nested
    class SmokeCalls {
        @Test
        void readsASmokeCallWithItsArgumentsAndExpectedText() {
            ServerDefinition pg = parse("""
                    servers:
                      - name: pg
                        transport: stdio
                        command: x
                        smoke: {tool: execute_sql, arguments: {sql: "select 1"}, expect: "1"}
                    """).server("pg").orElseThrow();
            assertThat(pg.smoke().tool()).isEqualTo("execute_sql");
            assertThat(pg.smoke().arguments().path("sql").asText()).isEqualTo("select 1");
            assertThat(pg.smoke().expect()).isEqualTo("1");
        }

        @Test
        void aSmokeCallNeedsATool() {
            assertThat(rejection("""
                    servers:
                      - {name: pg, transport: stdio, command: x, smoke: {arguments: {}, expected: x}}
                    """).getMessage()).contains("'pg': 'smoke' must be a mapping with 'tool'");
        }

        @Test
        void theBuiltInCatalogParsesAndEveryEnabledServerHasASmokeCallOrIsAReferenceServer() throws Exception {
            String yaml;
            try (var in = FileCatalog.class.getResourceAsStream(FileCatalog.DEFAULT_RESOURCE)) {
                yaml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            CatalogSnapshot builtIn = parse(yaml);
            assertThat(builtIn.servers()).hasSizeGreaterThanOrEqualTo(29);
            assertThat(builtIn.servers()).filteredOn(s -> s.tier() > 0)
                    .allSatisfy(s -> assertThat(s.smoke()).as(s.name()).isNotNull())
                    .allSatisfy(s -> assertThat(s.install()).as(s.name()).isNotBlank());
            assertThat(builtIn.servers().stream().filter(s -> s.tier() > 0).map(ServerDefinition::tier).distinct())
                    .containsExactlyInAnyOrder(1, 2, 3);
        }
    }
}
