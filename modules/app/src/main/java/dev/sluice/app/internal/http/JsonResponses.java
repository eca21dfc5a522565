package dev.sluice.app.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Json;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Writes a JSON body with its status, type and length: the one way servlets and filters answer JSON. */
public final class JsonResponses {
    private JsonResponses() {
    }

    public static void write(HttpServletResponse resp, int status, String contentType, JsonNode body) throws IOException {
        byte[] bytes = Json.bytes(body);
        resp.setStatus(status);
        resp.setContentType(contentType);
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    public static void write(HttpServletResponse resp, int status, JsonNode body) throws IOException {
        write(resp, status, "application/json", body);
    }
}
