package dev.sluice.app;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Roots the REST API at {@code /api/v1}. */
@ApplicationPath("/api/v1")
@OpenAPIDefinition(
        info = @Info(
                title = "Sluice",
                version = "v1",
                description = "The REST API of Sluice, a gateway for the Model Context Protocol. "
                        + "Every error is an RFC 9457 problem (application/problem+json) with a stable type.",
                license = @License(name = "Apache-2.0", identifier = "Apache-2.0")),
        tags = @Tag(name = "system", description = "The Sluice nodes and their state"))
public class SluiceApplication extends Application {
}
