package dev.sluice.app.internal.rest;

import dev.sluice.app.internal.persistence.SchemaMigration;
import dev.sluice.core.SluiceVersion;
import dev.sluice.observability.NodeDirectory;
import dev.sluice.observability.NodeInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The Sluice nodes sharing this database, and the state of the node that answers. */
@Path("system")
@Tag(name = "system")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class SystemResource {

    @Inject
    NodeDirectory nodes;

    @Inject
    SchemaMigration migration;

    /**
     * @param nodeId the node that answered
     * @param version the Sluice version it runs
     * @param schemaVersion the database schema version it migrated to
     */
    public record SystemInfo(String nodeId, String version, String schemaVersion) {
    }

    @GET
    @Path("info")
    @Operation(summary = "The answering node", description = "Which node answered, its version and its schema version.")
    @APIResponse(responseCode = "200", description = "The node's state",
            content = @Content(schema = @Schema(implementation = SystemInfo.class),
                    examples = @ExampleObject(name = "embedded",
                            value = "{\"nodeId\":\"laptop:9080\",\"version\":\"0.1.0-SNAPSHOT\",\"schemaVersion\":\"1\"}")))
    public SystemInfo info() {
        return new SystemInfo(nodes.selfId(), SluiceVersion.current(), migration.schemaVersion());
    }

    @GET
    @Path("nodes")
    @Operation(summary = "Sluice nodes", description = "Every node that shares this database, most recently started "
            + "first; a node is alive while its heartbeat is recent.")
    @APIResponse(responseCode = "200", description = "The nodes",
            content = @Content(schema = @Schema(implementation = NodeInfo[].class),
                    examples = @ExampleObject(name = "one node", value = "[{\"nodeId\":\"laptop:9080\",\"host\":\"laptop\","
                            + "\"version\":\"0.1.0-SNAPSHOT\",\"startedAt\":\"2026-11-25T17:00:00Z\","
                            + "\"lastSeenAt\":\"2026-11-25T17:05:00Z\",\"alive\":true}]")))
    public List<NodeInfo> nodes() {
        return nodes.nodes();
    }
}
