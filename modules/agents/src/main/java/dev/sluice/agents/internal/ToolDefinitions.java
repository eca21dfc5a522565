package dev.sluice.agents.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.agents.ToolSpec;
import dev.sluice.core.Json;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The role's tools as a model gets them, compacted without losing what a model needs to call them
 * right: names, types, required fields, enums, formats, bounds and the descriptions of the tool and of
 * each argument stay (cut at their first blank line and a length limit); JSON Schema noise goes ({@code title}s that repeat the name, {@code $schema},
 * {@code additionalProperties: true}, {@code default: null}, {@code anyOf [X, null]} of an optional
 * argument becomes {@code X}), and a tool description is cut at its first blank line and
 * {@code maxDescription} characters (the rest is examples and caveats a model does not need to pick
 * the tool). Names a provider would refuse ({@code ^[a-zA-Z0-9_-]{1,64}$}) get a safe alias.
 */
public final class ToolDefinitions {
    /** The default of {@code sluice.agents.max-argument-description-chars}. */
    public static final int DEFAULT_ARGUMENT_DESCRIPTION = 160;
    private final Map<String, String> aliasToName = new LinkedHashMap<>();
    private final int maxArgumentDescription;
    private final List<ToolSpec> specs;

    public ToolDefinitions(List<ObjectNode> tools, boolean compact, int maxDescription) {
        this(tools, compact, maxDescription, DEFAULT_ARGUMENT_DESCRIPTION);
    }

    /**
     * @param maxArgumentDescription the longest argument description kept (cut like a tool's: first
     *     paragraph, then at a sentence)
     */
    public ToolDefinitions(List<ObjectNode> tools, boolean compact, int maxDescription, int maxArgumentDescription) {
        this.maxArgumentDescription = maxArgumentDescription;
        specs = tools.stream().map(t -> spec(t, compact, maxDescription)).toList();
    }

    public List<ToolSpec> specs() {
        return specs;
    }

    /** The federated name behind what a model called (an alias or the name itself). */
    public String federatedName(String called) {
        return aliasToName.getOrDefault(called, called);
    }

    private ToolSpec spec(ObjectNode tool, boolean compact, int maxDescription) {
        String name = tool.path("name").asText();
        String alias = safe(name);
        aliasToName.put(alias, name);
        String description = tool.path("description").asText("");
        ObjectNode schema = tool.get("inputSchema") instanceof ObjectNode s ? s.deepCopy()
                : Json.object().put("type", "object");
        if (compact) {
            description = shorten(description, maxDescription);
            compactSchema(schema, true, maxArgumentDescription);
        }
        if (!schema.has("type")) {
            schema.put("type", "object");
        }
        if (!schema.has("properties") && "object".equals(schema.path("type").asText())) {
            schema.putObject("properties"); // OpenAI refuses an object schema without properties
        }
        return new ToolSpec(alias, description, schema);
    }

    private String safe(String name) {
        if (name.matches("[a-zA-Z0-9_-]{1,64}") && !aliasToName.containsKey(name)) {
            return name;
        }
        String base = name.replaceAll("[^a-zA-Z0-9_-]", "_");
        base = base.length() > 58 ? base.substring(0, 58) : base;
        String alias = base;
        for (int i = 2; aliasToName.containsKey(alias); i++) {
            alias = base + "_" + i;
        }
        return alias;
    }

    static String shorten(String description, int max) {
        String d = description.strip();
        int para = d.indexOf("\n\n");
        if (para > 0) {
            d = d.substring(0, para);
        }
        d = d.replaceAll("\\s+", " ");
        if (d.length() > max) {
            int cut = d.lastIndexOf(". ", max);
            d = cut > max / 2 ? d.substring(0, cut + 1) : d.substring(0, max - 1) + "…";
        }
        return d;
    }

    /** Compacts a schema in place. */
    static void compactSchema(JsonNode node, boolean root, int maxArgumentDescription) {
        if (node instanceof ObjectNode o) {
            if (root) {
                o.remove("$schema");
                o.remove("title");
            } else if (o.path("title").isTextual()) {
                o.remove("title");
            }
            if (o.path("additionalProperties").isBoolean() && o.path("additionalProperties").asBoolean()) {
                o.remove("additionalProperties");
            }
            if (o.has("default") && o.get("default").isNull()) {
                o.remove("default");
            }
            if (!root && o.get("description") instanceof TextNode d) {
                o.put("description", shorten(d.asText(), maxArgumentDescription));
            }
            JsonNode anyOf = o.get("anyOf");
            if (anyOf instanceof ArrayNode alternatives && alternatives.size() == 2) {
                JsonNode keep = null;
                for (JsonNode alt : alternatives) {
                    if (!"null".equals(alt.path("type").asText())) {
                        keep = alt;
                    }
                }
                boolean hasNull = false;
                for (JsonNode alt : alternatives) {
                    hasNull |= "null".equals(alt.path("type").asText());
                }
                if (hasNull && keep instanceof ObjectNode kept) {
                    o.remove("anyOf");
                    kept.fields().forEachRemaining(e -> {
                        if (!o.has(e.getKey())) {
                            o.set(e.getKey(), e.getValue());
                        }
                    });
                }
            }
            for (Iterator<JsonNode> it = o.elements(); it.hasNext();) {
                compactSchema(it.next(), false, maxArgumentDescription);
            }
        } else if (node instanceof ArrayNode a) {
            a.forEach(n -> compactSchema(n, false, maxArgumentDescription));
        }
    }
}
