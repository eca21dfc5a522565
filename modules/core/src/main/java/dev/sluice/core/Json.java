package dev.sluice.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The one JSON configuration of Sluice's wire: Jackson trees, so that fields Sluice does not know
 * (including {@code _meta}) pass through untouched.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /**
     * Parses JSON text.
     *
     * @throws SluiceException of kind {@link ErrorKind#PARSE_ERROR} naming where the text breaks
     */
    public static JsonNode parse(String text) {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Parses JSON bytes.
     *
     * @throws SluiceException of kind {@link ErrorKind#PARSE_ERROR} naming where the bytes break
     */
    public static JsonNode parse(byte[] bytes) {
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw new SluiceException(ErrorKind.PARSE_ERROR, "the body is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new SluiceException(ErrorKind.PARSE_ERROR, "invalid JSON: " + e.getOriginalMessage() + where);
        } catch (IOException e) {
            throw new SluiceException(ErrorKind.PARSE_ERROR, "unreadable body: " + e.getMessage());
        }
    }

    public static JsonNode parse(InputStream in) throws IOException {
        return parse(in.readAllBytes());
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /**
     * The canonical text of a tree: members sorted by name at every level, no insignificant
     * whitespace. Equal JSON values give equal text (cache keys and audit digests rely on it).
     */
    public static String canonical(JsonNode node) {
        return write(sorted(node));
    }

    /** {@link #canonical} as UTF-8 bytes, without the string between. */
    public static byte[] canonicalBytes(JsonNode node) {
        return bytes(sorted(node));
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = object();
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            names.forEach(n -> out.set(n, sorted(node.get(n))));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = array();
            node.forEach(item -> out.add(sorted(item)));
            return out;
        }
        return node;
    }
}
