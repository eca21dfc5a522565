package dev.sluice.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.SluiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a tool's arguments against the tool's own {@code inputSchema} before the upstream sees
 * them (JSON Schema drafts 4 to 2020-12 by the schema's {@code $schema}; 2020-12 when it names none,
 * as MCP 2025-11-25 says). Remote {@code $ref}s are never fetched: a schema is a description from an
 * upstream, not a licence to make Sluice fetch URLs.
 *
 * <p>Compiled schemas are kept by their text, so a schema is compiled once however often it is used.
 */
public final class ArgumentValidator {
    private static final int MAX_CACHED = 4096;
    private static final int MAX_REPORTED = 10;

    /**
     * Compiled schemas by the identity of the schema node (the federation keeps one node per listed
     * tool, so a call finds its schema without serialising it), then by schema text (equal schemas
     * compile once). Empty for a schema that cannot be used (then the upstream checks its own input).
     * Both are cleared when they outgrow {@link #MAX_CACHED} (lists were refreshed many times).
     */
    private final Map<IdentityKey, Optional<Schema>> byNode = new ConcurrentHashMap<>();
    private final Map<String, Optional<Schema>> compiled = new ConcurrentHashMap<>();

    /** A map key equal only to itself: the same node object. */
    private record IdentityKey(JsonNode node) {
        @Override
        public boolean equals(Object other) {
            return other instanceof IdentityKey k && k.node == node;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(node);
        }
    }

    private final Map<SpecificationVersion, SchemaRegistry> registries = new ConcurrentHashMap<>();

    /**
     * @param tool the name the caller used, for the message
     * @param inputSchema the tool's input schema, or null (then any object is accepted)
     * @param arguments the arguments sent
     * @throws SluiceException {@link ErrorKind#INVALID_ARGUMENTS} listing each failing field in the
     *     detail and as {@code data.errors[] = {field, message}}
     */
    public void validate(String tool, JsonNode inputSchema, ObjectNode arguments) {
        if (inputSchema == null || !inputSchema.isObject() || inputSchema.isEmpty()) {
            return;
        }
        Optional<Schema> schema = schema(inputSchema);
        if (schema.isEmpty()) {
            return;
        }
        List<Error> errors;
        try {
            errors = schema.get().validate(arguments);
        } catch (SchemaException e) {
            // a $ref that does not resolve (remote ones are never fetched): a broken schema, see schema()
            compiled.put(inputSchema.toString(), Optional.empty());
            return;
        }
        if (errors.isEmpty()) {
            return;
        }
        List<String> messages = new ArrayList<>();
        ObjectNode data = Json.object();
        ArrayNode list = data.putArray("errors");
        for (Error error : errors.subList(0, Math.min(errors.size(), MAX_REPORTED))) {
            String field = field(error);
            String message = error.getMessage();
            // the library prefixes its messages with the location; the field is reported on its own
            String location = String.valueOf(error.getInstanceLocation());
            if (message.startsWith(location + ": ")) {
                message = message.substring(location.length() + 2);
            }
            list.addObject().put("field", field).put("keyword", error.getKeyword()).put("message", message);
            messages.add(("".equals(field) ? "arguments" : "'" + field + "'") + ": " + message);
        }
        if (errors.size() > MAX_REPORTED) {
            data.put("more", errors.size() - MAX_REPORTED);
        }
        throw new SluiceException(ErrorKind.INVALID_ARGUMENTS, "invalid arguments for tool '" + tool + "': "
                + String.join("; ", messages), data, null);
    }

    /** The failing field as a dotted path ({@code filter.limit}, {@code items[2]}); "" for the whole object. */
    static String field(Error error) {
        // built from the location's elements: its string form depends on the library's path type
        // (a JSON pointer, /filter/limit, by default in 2.x)
        StringBuilder dotted = new StringBuilder();
        NodePath location = error.getInstanceLocation();
        for (int i = 0; location != null && i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                dotted.append('[').append(index).append(']');
            } else {
                if (dotted.length() > 0) {
                    dotted.append('.');
                }
                dotted.append(element);
            }
        }
        String path = dotted.toString();
        String property = error.getProperty();
        if (property != null && ("required".equals(error.getKeyword())
                || "additionalProperties".equals(error.getKeyword())
                || "unevaluatedProperties".equals(error.getKeyword())
                || "dependentRequired".equals(error.getKeyword()))) {
            return path.isEmpty() ? property : path + "." + property;
        }
        return path;
    }

    private Optional<Schema> schema(JsonNode inputSchema) {
        IdentityKey identity = new IdentityKey(inputSchema);
        Optional<Schema> known = byNode.get(identity);
        if (known != null) {
            return known;
        }
        if (byNode.size() >= MAX_CACHED) {
            byNode.clear();
        }
        Optional<Schema> schema = byText(inputSchema);
        byNode.put(identity, schema);
        return schema;
    }

    private Optional<Schema> byText(JsonNode inputSchema) {
        String key = inputSchema.toString();
        Optional<Schema> cached = compiled.get(key);
        if (cached != null) {
            return cached;
        }
        if (compiled.size() >= MAX_CACHED) {
            compiled.clear();
        }
        SpecificationVersion version = Optional.ofNullable(inputSchema.path("$schema").textValue())
                .map(id -> id.endsWith("#") ? id.substring(0, id.length() - 1) : id)
                .flatMap(id -> SpecificationVersion.fromDialectId(id)
                        .or(() -> SpecificationVersion.fromDialectId(id + "#")))
                .orElse(SpecificationVersion.DRAFT_2020_12);
        SchemaRegistry registry = registries.computeIfAbsent(version, v -> SchemaRegistry.withDefaultDialect(v,
                builder -> builder.schemaLoader(loader -> loader.fetchRemoteResources(false))));
        Optional<Schema> schema;
        try {
            // an upstream's broken schema must not make its tool uncallable: the upstream checks its own input.
            // A schema that breaks its dialect's meta-schema ("type": 12) compiles, but would refuse every call.
            Schema meta = registry.getSchema(SchemaLocation.of(version.getDialectId()));
            schema = meta.validate(inputSchema).isEmpty() ? Optional.of(registry.getSchema(inputSchema))
                    : Optional.empty();
        } catch (RuntimeException e) {
            schema = Optional.empty();
        }
        compiled.put(key, schema);
        return schema;
    }
}
