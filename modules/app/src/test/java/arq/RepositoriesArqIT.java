package arq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Caller;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.SluiceException;
import dev.sluice.observability.AuditEntry;
import dev.sluice.observability.AuditLog;
import dev.sluice.observability.AuditPage;
import dev.sluice.observability.AuditQuery;
import dev.sluice.registry.Catalog;
import dev.sluice.registry.CatalogChange;
import dev.sluice.registry.CatalogChanges;
import dev.sluice.security.ApiKey;
import dev.sluice.security.ApiKeys;
import dev.sluice.security.Authenticator;
import dev.sluice.security.IssuedApiKey;
import dev.sluice.core.Role;
import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The JPA repositories inside Open Liberty, each through its CDI bean, against the embedded H2
 * database the product starts with (migrated by Flyway at start, written through Hibernate in the
 * container's transactions): the API keys of security, the audit trail of observability, and the
 * run-time catalog changes the app keeps for registry.
 */
@ExtendWith(ArquillianExtension.class)
class RepositoriesArqIT {

    @Deployment
    static WebArchive deployment() {
        return Deployments.sluiceWith(RepositoriesArqIT.class);
    }

    @Inject
    ApiKeys apiKeys;

    @Inject
    Authenticator authenticator;

    @Inject
    AuditLog audit;

    @Inject
    Catalog catalog;

    @Inject
    CatalogChanges catalogChanges;

    @Resource(lookup = "jdbc/sluice")
    DataSource database;

    @Test
    void anApiKeyIsStoredAsAHashFoundByItsSecretAndRefusedAtOnceWhenRevoked() throws SQLException {
        String owner = "arq-owner-" + UUID.randomUUID();
        IssuedApiKey issued = apiKeys.create("arq", owner, Role.ANALYST, Set.of("recording/*"), null);
        String id = issued.key().id();

        // found by its secret, as the Authorization header or X-API-Key carries it
        for (Caller caller : List.of(authenticator.authenticate("Bearer " + issued.secret(), null).orElseThrow(),
                authenticator.authenticate(null, issued.secret()).orElseThrow())) {
            assertThat(caller.subject()).isEqualTo(owner);
            assertThat(caller.role()).isEqualTo("analyst");
            assertThat(caller.apiKeyId()).isEqualTo(id);
            assertThat(caller.toolScope()).containsExactly("recording/*");
        }
        assertThat(apiKeys.list(owner)).extracting(ApiKey::id).containsExactly(id);

        // the database holds its prefix and a keyed hash, never the key
        List<String> row = row("select * from api_keys where id = ?", id);
        assertThat(row).contains(issued.secret().substring(0, 16));
        assertThat(String.join("|", row)).doesNotContain(issued.secret());

        apiKeys.revoke(id);
        assertThatThrownBy(() -> authenticator.authenticate("Bearer " + issued.secret(), null))
                .isInstanceOfSatisfying(SluiceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UNAUTHENTICATED);
                    assertThat(e.data().orElseThrow().path("reason").asText()).isEqualTo("revoked");
                });
        assertThat(apiKeys.find(id).orElseThrow().status(Instant.now())).isEqualTo("revoked");
        assertThat(row("select revoked_at from api_keys where id = ?", id)).doesNotContain("null");
    }

    @Test
    void auditRecordsAreWrittenAndFoundNewestFirstAPageAtATime() {
        String subject = "arq-admin-" + UUID.randomUUID();
        Caller admin = new Caller(subject, "admin", null, Set.of(), null, Set.of());
        audit.record(AuditEntry.ofAction("arq-create", admin, "rest", "api-keys/create", null, "key-1", null, "127.0.0.1"));
        audit.flush();
        audit.record(AuditEntry.ofAction("arq-revoke", admin, "rest", "api-keys/revoke", null, "key-1", null, "127.0.0.1"));
        audit.flush();

        AuditQuery bySubject = new AuditQuery(subject, null, null, null, null, null, null, null, 1);
        AuditPage first = audit.search(bySubject);
        assertThat(first.entries()).extracting(AuditEntry::requestId).containsExactly("arq-revoke");
        assertThat(first.next()).isNotNull();
        AuditPage second = audit.search(bySubject.after(first.next()));
        assertThat(second.entries()).extracting(AuditEntry::requestId).containsExactly("arq-create");
        assertThat(second.next()).isNull();

        AuditEntry stored = second.entries().get(0);
        assertThat(stored.nodeId()).as("the node that wrote it").isNotBlank();
        assertThat(stored.action()).isEqualTo("api-keys/create");
        assertThat(stored.clientAddress()).isEqualTo("127.0.0.1");
        assertThat(audit.search(new AuditQuery(subject, null, null, "api-keys/create", null, null, null, null, 10))
                .entries()).extracting(AuditEntry::requestId).containsExactly("arq-create");
    }

    @Test
    void aRunTimeCatalogChangeIsKeptInTheDatabaseAndAppliedToTheCatalog() throws SQLException {
        String server = "arq-remote-" + UUID.randomUUID().toString().substring(0, 8);
        String requestId = "arq-" + UUID.randomUUID();
        long before = catalogChanges.version();
        ObjectNode entry = Json.object().put("description", "defined by RepositoriesArqIT").put("transport",
                "streamable-http").put("url", "http://127.0.0.1:9/mcp").put("enabled", false);

        catalog.change(server, CatalogChange.Kind.DEFINE, entry, "arq-admin", requestId);

        long defined = catalogChanges.version();
        assertThat(defined).isGreaterThan(before);
        List<CatalogChange> all = catalogChanges.all();
        CatalogChange last = all.get(all.size() - 1);
        assertThat(last.id()).isEqualTo(defined);
        assertThat(last.server()).isEqualTo(server);
        assertThat(last.kind()).isEqualTo(CatalogChange.Kind.DEFINE);
        assertThat(last.actor()).isEqualTo("arq-admin");
        assertThat(last.definition().path("url").asText()).isEqualTo("http://127.0.0.1:9/mcp");
        assertThat(row("select server_name, change_kind, request_id from catalog_changes where id = ?", defined))
                .containsExactly(server, "define", requestId);
        assertThat(catalog.current().server(server)).isPresent();
        assertThat(catalog.origin(server)).isEqualTo("api");

        catalog.change(server, CatalogChange.Kind.DELETE, null, "arq-admin", "arq-" + UUID.randomUUID());

        assertThat(catalogChanges.version()).isGreaterThan(defined);
        assertThat(catalogChanges.all()).extracting(CatalogChange::kind).endsWith(CatalogChange.Kind.DEFINE,
                CatalogChange.Kind.DELETE);
        assertThat(catalog.current().server(server)).isEmpty();
    }

    /** The columns of the one row a query finds, as text. */
    private List<String> row(String sql, Object key) throws SQLException {
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, key);
            try (ResultSet r = s.executeQuery()) {
                assertThat(r.next()).as("a row for %s", key).isTrue();
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    values.add(String.valueOf(r.getObject(i)));
                }
                assertThat(r.next()).as("one row for %s", key).isFalse();
                return values;
            }
        }
    }
}
