package it;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import it.support.Http;
import java.net.http.HttpResponse;
import java.util.Map;
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
    void theUiIsServed() {
        HttpResponse<String> ui = sluice.get("/openapi/ui/");
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.body()).containsIgnoringCase("<html");
    }
}
