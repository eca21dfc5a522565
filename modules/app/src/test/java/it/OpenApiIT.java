package it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.app.RepositoryFiles;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import it.support.Http;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The OpenAPI document REST clients read, checked by an independent OpenAPI parser and validator. */
class OpenApiIT {
    private final Http sluice = Http.defaultServer();

    private SwaggerParseResult parse() {
        HttpResponse<String> doc = sluice.send(sluice.request("/openapi").header("Accept", "application/json").GET());
        assertThat(doc.statusCode()).isEqualTo(200);
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        return new OpenAPIV3Parser().readContents(doc.body(), null, options);
    }

    @Test
    void isAValidOpenApi31Document() {
        SwaggerParseResult result = parse();
        assertThat(result.getMessages()).as("validation messages").isEmpty();
        OpenAPI api = result.getOpenAPI();
        assertThat(api).isNotNull();
        assertThat(api.getOpenapi()).startsWith("3.1");
        assertThat(api.getInfo().getTitle()).isEqualTo("Sluice");
    }

    @Test
    void describesEveryOperationWithASummaryAndResponses() {
        OpenAPI api = parse().getOpenAPI();
        assertThat(api.getPaths()).containsKeys("/api/v1/system/info", "/api/v1/system/nodes");
        for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> op : path.getValue().readOperationsMap().entrySet()) {
                assertThat(op.getValue().getSummary()).as("summary of %s %s", op.getKey(), path.getKey()).isNotBlank();
                assertThat(op.getValue().getResponses()).as("responses of %s %s", op.getKey(), path.getKey())
                        .isNotEmpty();
            }
        }
    }

    @Test
    void declaresBothCredentialsAndRequiresOneOfThemEverywhere() {
        OpenAPI api = parse().getOpenAPI();
        SecurityScheme bearer = api.getComponents().getSecuritySchemes().get("bearer");
        assertThat(bearer.getType()).isEqualTo(SecurityScheme.Type.HTTP);
        assertThat(bearer.getScheme()).isEqualTo("bearer");
        SecurityScheme apiKey = api.getComponents().getSecuritySchemes().get("apiKey");
        assertThat(apiKey.getType()).isEqualTo(SecurityScheme.Type.APIKEY);
        assertThat(apiKey.getIn()).isEqualTo(SecurityScheme.In.HEADER);
        assertThat(apiKey.getName()).isEqualTo("X-API-Key");
        // two requirements, each with one scheme: either credential will do
        assertThat(api.getSecurity()).extracting(r -> r.keySet()).containsExactlyInAnyOrder(
                java.util.Set.of("bearer"), java.util.Set.of("apiKey"));
        for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> op : path.getValue().readOperationsMap().entrySet()) {
                assertThat(op.getValue().getSecurity()).as("%s %s may not opt out of authentication", op.getKey(),
                        path.getKey()).isNull();
            }
        }
    }

    @Test
    void everyOperationDocumentsTheErrorsAnyOperationCanGiveAsProblems() {
        OpenAPI api = parse().getOpenAPI();
        for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> op : path.getValue().readOperationsMap().entrySet()) {
                var responses = op.getValue().getResponses();
                assertThat(responses).as("%s %s", op.getKey(), path.getKey()).containsKeys("401", "429", "500");
                assertThat(responses.get("401").getContent()).as("%s %s", op.getKey(), path.getKey())
                        .containsKey("application/problem+json");
                if (op.getValue().getRequestBody() != null) {
                    assertThat(responses).as("%s %s", op.getKey(), path.getKey()).containsKeys("400", "413", "415");
                }
            }
        }
        // a Jackson object in an answer is an object, not the array a scanner makes of an iterable
        io.swagger.v3.oas.models.media.Schema<?> cache = api.getPaths().get("/api/v1/cache").getGet().getResponses()
                .get("200").getContent().get("application/json").getSchema();
        if (cache.get$ref() != null) {
            cache = api.getComponents().getSchemas().get(cache.get$ref().substring(cache.get$ref().lastIndexOf('/') + 1));
        }
        java.util.Set<String> types = cache.getTypes();
        assertThat(types).containsExactly("object");
    }

    @Test
    void theDocumentedCredentialsAreTheOnesTheServiceTakes() {
        String key = sluice.authorization().substring("Bearer ".length());
        Http anonymous = sluice.anonymous();
        assertThat(anonymous.send(anonymous.request("/api/v1/system/info").GET()).statusCode()).isEqualTo(401);
        assertThat(anonymous.send(anonymous.request("/api/v1/system/info").header("X-API-Key", key).GET())
                .statusCode()).as("the apiKey scheme").isEqualTo(200);
        assertThat(sluice.send(sluice.request("/api/v1/system/info").GET()).statusCode()).as("the bearer scheme")
                .isEqualTo(200);
    }

    @Test
    void everyPathIsInTheEndpointsReference() throws IOException {
        String reference = Files.readString(RepositoryFiles.resolve("src-docs/reference/endpoints.md"));
        for (Map.Entry<String, PathItem> path : parse().getOpenAPI().getPaths().entrySet()) {
            for (PathItem.HttpMethod method : path.getValue().readOperationsMap().keySet()) {
                assertThat(reference).as("reference of %s %s", method, path.getKey())
                        .containsPattern("\\| " + method + " \\| `" + Pattern.quote(path.getKey()) + "`");
            }
        }
    }

    @Test
    void theUiIsServed() {
        HttpResponse<String> ui = sluice.get("/openapi/ui/");
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.body()).containsIgnoringCase("<html");
    }
}
