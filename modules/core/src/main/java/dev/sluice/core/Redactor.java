package dev.sluice.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of what Sluice writes down or shows: audit records, logs, error messages and API
 * responses. It masks
 *
 * <ul>
 *   <li>values of members whose names say "secret" ({@code password}, {@code token},
 *       {@code api_key}, {@code authorization}, {@code secret}, {@code credential}, …);</li>
 *   <li>anything that looks like a credential wherever it appears: API keys ({@code sk-sluice-…}),
 *       JWTs, bearer values, the password of a URL ({@code postgresql://u:secret@h});</li>
 *   <li>every value registered in {@link SecretValues} (upstream credentials from the catalog).</li>
 * </ul>
 */
public final class Redactor {
    public static final String MASK = "[REDACTED]";

    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i)(passw|pwd|secret|token|api[-_]?key|apikey|authorization|credential|private[-_]?key|access[-_]?key"
                    + "|session[-_]?id|cookie|signature|dsn)");
    /** How every Sluice API key begins (the security module issues them). */
    public static final String API_KEY_PREFIX = "sk-sluice-";
    private static final Pattern API_KEY = Pattern.compile(Pattern.quote(API_KEY_PREFIX) + "[A-Za-z0-9_-]+");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*");
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]{8,}");

    private Redactor() {
    }

    /** Whether a member of this name holds a secret. */
    public static boolean isSecretName(String name) {
        return name != null && SECRET_NAME.matcher(name).find();
    }

    /** A copy of {@code text} with every recognisable secret masked. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = SecretValues.mask(text);
        if (out.contains(API_KEY_PREFIX)) {
            out = API_KEY.matcher(out).replaceAll(MASK);
        }
        if (out.contains("eyJ")) {
            out = JWT.matcher(out).replaceAll(MASK);
        }
        if (out.regionMatches(true, 0, "bearer", 0, 6) || out.toLowerCase(Locale.ROOT).contains("bearer ")) {
            out = BEARER.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(MASK));
        }
        if (out.contains("://")) {
            out = SecretValues.URL_PASSWORD.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "$3");
        }
        return out;
    }

    /** A deep copy of {@code node} with secret members and secret-looking strings masked. */
    public static JsonNode redact(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            String masked = redact(node.textValue());
            return masked.equals(node.textValue()) ? node : TextNode.valueOf(masked);
        }
        if (node.isObject()) {
            ObjectNode copy = ((ObjectNode) node).objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                copy.set(e.getKey(), isSecretName(e.getKey()) && e.getValue().isTextual()
                        ? TextNode.valueOf(MASK) : redact(e.getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = ((ArrayNode) node).arrayNode();
            node.forEach(item -> copy.add(redact(item)));
            return copy;
        }
        return node;
    }
}
