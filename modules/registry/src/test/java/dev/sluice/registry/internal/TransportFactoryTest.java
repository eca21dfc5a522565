package dev.sluice.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.AesKeyRing;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.SluiceException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which transport an entry gets, with its references resolved and what a run-time entry may not do refused. */
class TransportFactoryTest {
    /** A "server" that writes what it was given as one JSON-RPC notification. */
    private static final String SCRIPT = "printf '{\"jsonrpc\":\"2.0\",\"method\":\"given\",\"params\":"
            + "{\"arg\":\"%s\",\"token\":\"%s\",\"home\":\"%s\",\"secret\":\"%s\"}}\\n' "
            + "\"$1\" \"$API_TOKEN\" \"$HOME\" \"$DB_PASSWORD\"; sleep 5";
    private static final Map<String, String> OWN_ENVIRONMENT = Map.of("PATH", System.getenv("PATH"),
            "HOME", "/home/sluice", "DB_PASSWORD", "db-secret", "SCRIPT", SCRIPT, "SLUICE_UPSTREAM_TOKEN", "tok-1");
    private static final SealedSecrets SEALED = new SealedSecrets(AesKeyRing.of(
            List.of(Base64.getEncoder().encodeToString(AesKeyRing.randomKey())), "k").orElseThrow());

    private final FakeUpstream.TestCatalog catalog = new FakeUpstream.TestCatalog("""
            servers:
              - name: local
                transport: stdio
                command: sh
                args: ["-c", "${env:SCRIPT}", "given", "${env:SLUICE_UPSTREAM_TOKEN}"]
                env: {API_TOKEN: "${env:SLUICE_UPSTREAM_TOKEN}"}
              - {name: web, transport: streamable-http, url: "http://127.0.0.1:9/mcp", headers: {Authorization: "Bearer ${env:DB_PASSWORD}"}}
              - {name: old, transport: sse, url: "http://127.0.0.1:9/sse"}
              - {name: metadata, transport: streamable-http, url: "http://169.254.169.254/mcp"}
              - {name: api-run, transport: stdio, command: sh}
              - {name: api-web, transport: streamable-http, url: "http://127.0.0.1:9/mcp", headers: {Authorization: "${env:DB_PASSWORD}"}}
            """);
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final ReaderThreads readers = new ReaderThreads(Thread::new);
    private final UpstreamUrls urls = new UpstreamUrls(true, true);
    private final TransportFactory factory = new TransportFactory(catalog,
            new SecretReferences(OWN_ENVIRONMENT::get, SEALED),
            new RunTimeEntries(List.of("npx"), List.of("SLUICE_UPSTREAM_"), List.of(), SEALED, urls),
            urls, () -> List.of("PATH", "HOME"), OWN_ENVIRONMENT, new HttpClients(executor, readers), readers);

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
    }

    @Test
    void eachTransportOfTheCatalogGetsItsKind() {
        assertThat(factory.transport(catalog.server("local"))).isInstanceOf(StdioTransport.class);
        MessageTransport web = factory.transport(catalog.server("web"));
        assertThat(web).isInstanceOf(StreamableHttpTransport.class);
        assertThat(web.describe()).isEqualTo("streamable-http: http://127.0.0.1:9/mcp");
        MessageTransport old = factory.transport(catalog.server("old"));
        assertThat(old).isInstanceOf(LegacySseTransport.class);
        assertThat(old.describe()).isEqualTo("sse: http://127.0.0.1:9/sse");
    }

    @Test
    void aProcessGetsItsResolvedArgumentsTheInheritedNamesAndItsOwnVariablesOnly() throws Exception {
        MessageTransport local = factory.transport(catalog.server("local"));
        CompletableFuture<ObjectNode> given = FakeUpstream.firstMessage(local);
        try {
            ObjectNode params = (ObjectNode) given.get(10, TimeUnit.SECONDS).path("params");
            assertThat(params.path("arg").asText()).isEqualTo("tok-1");
            assertThat(params.path("token").asText()).isEqualTo("tok-1");
            assertThat(params.path("home").asText()).isEqualTo("/home/sluice");
            assertThat(params.path("secret").asText()).as("not an inherited name").isEmpty();
        } finally {
            local.close();
        }
        assertThat(local.describe()).as("arguments as the catalog writes them, never resolved")
                .isEqualTo("stdio: sh -c ${env:SCRIPT} given ${env:SLUICE_UPSTREAM_TOKEN}");
    }

    @Test
    void aUrlThatMayNotBeReachedIsRefused() {
        SluiceException e = catchThrowableOfType(SluiceException.class,
                () -> factory.transport(catalog.server("metadata")));

        assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE);
        assertThat(e.detail()).contains("server 'metadata' may not reach 169.254.169.254");
    }

    @Test
    void anEntryDefinedAtRunTimeRunsOnlyAllowedCommandsAndReadsOnlyAllowedVariables() {
        catalog.definedAtRunTime.addAll(List.of("api-run", "api-web"));

        SluiceException command = catchThrowableOfType(SluiceException.class,
                () -> factory.transport(catalog.server("api-run")));
        SluiceException variable = catchThrowableOfType(SluiceException.class,
                () -> factory.transport(catalog.server("api-web")));

        assertThat(command.kind()).isEqualTo(ErrorKind.FORBIDDEN);
        assertThat(command.detail()).contains("runs 'sh'");
        assertThat(variable.kind()).isEqualTo(ErrorKind.FORBIDDEN);
        assertThat(variable.detail()).contains("DB_PASSWORD");
        assertThat(factory.transport(catalog.server("web"))).as("the same reference in the catalog file")
                .isInstanceOf(StreamableHttpTransport.class);
    }
}
