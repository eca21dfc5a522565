package dev.sluice.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.SluiceException;
import java.util.List;
import java.util.Locale;

/**
 * Arguments that an upstream puts on a process command line (the catalog lists them per tool as
 * {@code command-arguments}) must be plain words: no shell metacharacter, no control character, and
 * no leading {@code -} that a program would read as an option. Sluice itself starts processes only
 * through {@link ProcessBuilder}, never a shell; this guards the upstreams that do.
 */
public final class CommandArguments {
    private static final String METACHARACTERS = ";&|`$<>(){}[]*?!~#'\"\\\n\r\t\0";

    private CommandArguments() {
    }

    public static void check(List<String> names, ObjectNode arguments) {
        for (String name : names) {
            JsonNode value = arguments.get(name);
            if (value == null || value.isNull()) {
                continue;
            }
            if (value.isArray()) {
                for (JsonNode item : value) {
                    checkOne(name, item);
                }
            } else {
                checkOne(name, value);
            }
        }
    }

    private static void checkOne(String name, JsonNode value) {
        if (!value.isValueNode()) {
            throw refused(name, "must be a plain value, not " + value.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        String text = value.asText();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (METACHARACTERS.indexOf(c) >= 0 || Character.isISOControl(c)) {
                throw refused(name, "contains the character " + describe(c)
                        + ", which a shell would interpret; it ends up on a command line");
            }
        }
        if (text.startsWith("-")) {
            throw refused(name, "starts with '-', which the program would read as an option");
        }
    }

    private static String describe(char c) {
        return Character.isISOControl(c) ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }

    private static SluiceException refused(String name, String why) {
        return new SluiceException(ErrorKind.COMMAND_ARGUMENT_REFUSED, "argument '" + name + "' " + why,
                Json.object().put("field", name), null);
    }
}
