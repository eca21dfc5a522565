package dev.sluice.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secret values this node knows (upstream credentials resolved from the catalog, the hash key
 * of API keys), so that redaction can mask them wherever they would otherwise appear: in an
 * upstream's error message, an argument echoed back, a log line. Modules that resolve a secret
 * register it here; the security module's redactor reads it.
 */
public final class SecretValues {
    /**
     * Values at least this long are masked wherever they appear; shorter ones (a short password is
     * still a password) only where they stand alone between blanks, quotes or the punctuation that
     * separates a value ({@code = : @ , ; ( ) [ ] { } < >}), so that masking them does not garble
     * ordinary text or names ({@code sluice.registry…} stays whole when the password is "sluice").
     */
    public static final int MIN_LENGTH = 8;
    private static final Set<String> VALUES = ConcurrentHashMap.newKeySet();
    /** Secrets shorter than {@link #MIN_LENGTH}, each as a whole-word pattern. */
    private static final Map<String, Pattern> SHORT = new ConcurrentHashMap<>();
    /**
     * Names that say "secret" but hold a setting about one ({@code …_KEY_FILE}, {@code …_TOKEN_TTL},
     * {@code …PUBLICKEY_LOCATION}, {@code …_AUTH_ENABLED}): their values are not secrets.
     */
    private static final Pattern SETTING_NAME = Pattern.compile(
            "(?i)(file|location|path|dir|ttl|timeout|overlap|enabled|algorithm|age|interval|url|uri|host|port"
                    + "|issuer|audiences?|prefix|size|max|min|mode|type|claim|map)$");
    /** Values that are no secret whatever their name: flags, numbers, durations. */
    private static final Pattern PLAIN_VALUE = Pattern.compile(
            "(?i)true|false|yes|no|on|off|none|-?[0-9]+|P(T?[0-9]+[DHMS])+");
    /** Names of variables and settings whose values are secrets. */
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i)(token|secret|passw|pwd|key|credential|auth|dsn|private|cookie|session)");
    /**
     * The password of a URL's user-info ({@code postgresql://user:password@host/db}): group 2 is the
     * password, groups 1 and 3 what surrounds it.
     */
    public static final Pattern URL_PASSWORD =
            Pattern.compile("(://[^/:@\\s]+:)([^@/\\s]+)(@)");

    private SecretValues() {
    }

    /** Registers a secret: masked from now on wherever it would show (see {@link #MIN_LENGTH}). */
    public static void register(String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        if (value.length() >= MIN_LENGTH) {
            VALUES.add(value);
        } else {
            SHORT.computeIfAbsent(value, v -> Pattern.compile(
                    "(?<![^\\s\"'=:@,;()\\[\\]{}<>])" + java.util.regex.Pattern.quote(v) + "(?![^\\s\"'=:@,;()\\[\\]{}<>])"));
        }
    }

    /** Whether a variable or setting of this name holds a secret ({@code DB_PASSWORD}, {@code x-api-key} …). */
    public static boolean secretName(String name) {
        return name != null && SECRET_NAME.matcher(name).find();
    }

    /**
     * Registers the values of every variable whose name {@linkplain #secretName looks secret}, each
     * comma-separated part of a list too (key rings such as {@code SLUICE_SECRETS_KEYS}).
     */
    public static void registerNamed(Map<String, String> variables) {
        variables.forEach((name, value) -> {
            if (value == null) {
                return;
            }
            registerUrlPasswords(value);
            if (secretName(name) && !SETTING_NAME.matcher(name).find() && !PLAIN_VALUE.matcher(value.strip()).matches()) {
                register(value.strip());
                if (value.indexOf(',') >= 0) {
                    for (String part : value.split(",")) {
                        register(part.strip());
                    }
                }
            }
        });
    }

    /** Registers the password of every URL with user-info in {@code text}. */
    public static void registerUrlPasswords(String text) {
        if (text != null && text.contains("://")) {
            Matcher m = URL_PASSWORD.matcher(text);
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
        if (text == null || (VALUES.isEmpty() && SHORT.isEmpty())) {
            return text;
        }
        String masked = text;
        for (String value : VALUES) {
            if (masked.contains(value)) {
                masked = masked.replace(value, "[REDACTED]");
            }
        }
        for (Map.Entry<String, Pattern> e : SHORT.entrySet()) {
            if (masked.contains(e.getKey())) {
                masked = e.getValue().matcher(masked).replaceAll("[REDACTED]");
            }
        }
        return masked;
    }

    /**
     * Masks every registered value in the strings of a JSON tree, in place (a tool result that
     * quotes an upstream's credential, say). Costs nothing while no secret is registered.
     */
    public static void maskIn(JsonNode node) {
        if ((VALUES.isEmpty() && SHORT.isEmpty()) || node == null || !node.isContainerNode()) {
            return;
        }
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode value = object.get(name);
                if (value.isTextual()) {
                    String masked = mask(value.textValue());
                    if (!masked.equals(value.textValue())) {
                        object.put(name, masked);
                    }
                } else {
                    maskIn(value);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode value = array.get(i);
                if (value.isTextual()) {
                    String masked = mask(value.textValue());
                    if (!masked.equals(value.textValue())) {
                        array.set(i, TextNode.valueOf(masked));
                    }
                } else {
                    maskIn(value);
                }
            }
        }
    }
}
