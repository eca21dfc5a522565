package dev.sluice.app;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
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
        tags = @Tag(name = "system", description = "The Sluice nodes and their state"),
        // every operation under /api/v1 needs a caller: either scheme (alternatives, not both)
        security = {@SecurityRequirement(name = SluiceApplication.BEARER), @SecurityRequirement(name = SluiceApplication.API_KEY)},
        components = @Components(securitySchemes = {
            @SecurityScheme(securitySchemeName = SluiceApplication.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
                    description = "An API key (sk-sluice-...) or a JWT of the configured identity provider: "
                            + "'Authorization: Bearer <key or token>'"),
            @SecurityScheme(securitySchemeName = SluiceApplication.API_KEY, type = SecuritySchemeType.APIKEY,
                    in = SecuritySchemeIn.HEADER, apiKeyName = "X-API-Key",
                    description = "An API key (sk-sluice-...) in the X-API-Key header")}))
public class SluiceApplication extends Application {
    /** The OpenAPI security scheme of {@code Authorization: Bearer}. */
    public static final String BEARER = "bearer";
    /** The OpenAPI security scheme of the {@code X-API-Key} header. */
    public static final String API_KEY = "apiKey";
}
