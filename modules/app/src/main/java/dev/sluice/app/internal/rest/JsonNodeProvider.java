package dev.sluice.app.internal.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Json;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * Reads and writes Jackson trees on the REST API, so MCP results and schemas pass through exactly as
 * the upstream sent them (JSON-B handles Sluice's own records).
 */
@Provider
@Produces({MediaType.APPLICATION_JSON, "application/*+json"})
@Consumes(MediaType.APPLICATION_JSON)
public class JsonNodeProvider implements MessageBodyReader<JsonNode>, MessageBodyWriter<JsonNode> {

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return JsonNode.class.isAssignableFrom(type);
    }

    @Override
    public JsonNode readFrom(Class<JsonNode> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, String> httpHeaders, InputStream entityStream) throws IOException {
        byte[] bytes = entityStream.readAllBytes();
        return bytes.length == 0 ? Json.object() : Json.parse(bytes);
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return JsonNode.class.isAssignableFrom(type);
    }

    @Override
    public void writeTo(JsonNode node, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, Object> httpHeaders, OutputStream entityStream) throws IOException {
        entityStream.write(Json.bytes(node));
    }
}
