package dev.sluice.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secret values this node knows (upstream credentials resolved from the catalog, the hash key
 * of API keys), so that redaction can mask them wherever they would otherwise appear: in an
 * upstream's error message, an argument echoed back, a log line. Modules that resolve a secret
 * register it here; the security module's redactor reads it.
 */
public final class SecretValues {
    /** Shorter values are not registered: masking them would garble ordinary text. */
    public static final int MIN_LENGTH = 8;
    private static final Set<String> VALUES = ConcurrentHashMap.newKeySet();
    /**
     * The password of a URL's user-info ({@code postgresql://user:password@host/db}): group 2 is the
     * password, groups 1 and 3 what surrounds it.
     */
    public static final java.util.regex.Pattern URL_PASSWORD =
            java.util.regex.Pattern.compile("(://[^/:@\\s]+:)([^@/\\s]+)(@)");

    private SecretValues() {
    }

    public static void register(String value) {
        if (value != null && value.length() >= MIN_LENGTH) {
            VALUES.add(value);
        }
    }

    /** Registers the password of every URL with user-info in {@code text}. */
    public static void registerUrlPasswords(String text) {
        if (text != null && text.contains("://")) {
            java.util.regex.Matcher m = URL_PASSWORD.matcher(text);
            while (m.find()) {
                register(m.group(2));
            }
        }
    }

    /** A snapshot of the registered values. */
    public static Set<String> all() {
        return Set.copyOf(VALUES);
    }

    /** Replaces every registered value in {@code text} by {@code [REDACTED]}. */
    public static String mask(String text) {
        if (text == null || VALUES.isEmpty()) {
            return text;
        }
        String masked = text;
        for (String value : VALUES) {
            if (masked.contains(value)) {
                masked = masked.replace(value, "[REDACTED]");
            }
        }
        return masked;
    }

    /**
     * Masks every registered value in the strings of a JSON tree, in place (a tool result that
     * quotes an upstream's credential, say). Costs nothing while no secret is registered.
     */
    public static void maskIn(com.fasterxml.jackson.databind.JsonNode node) {
        if (VALUES.isEmpty() || node == null || !node.isContainerNode()) {
            return;
        }
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
            java.util.List<String> names = new java.util.ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                com.fasterxml.jackson.databind.JsonNode value = object.get(name);
                if (value.isTextual()) {
                    String masked = mask(value.textValue());
                    if (!masked.equals(value.textValue())) {
                        object.put(name, masked);
                    }
                } else {
                    maskIn(value);
                }
            }
        } else if (node instanceof com.fasterxml.jackson.databind.node.ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                com.fasterxml.jackson.databind.JsonNode value = array.get(i);
                if (value.isTextual()) {
                    String masked = mask(value.textValue());
                    if (!masked.equals(value.textValue())) {
                        array.set(i, com.fasterxml.jackson.databind.node.TextNode.valueOf(masked));
                    }
                } else {
                    maskIn(value);
                }
            }
        }
    }
}
