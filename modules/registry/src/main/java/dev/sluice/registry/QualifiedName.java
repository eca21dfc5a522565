package dev.sluice.registry;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A tool, prompt or resource template name as federation shows it: the upstream server's name, a
 * separator ({@code __} by default) and the upstream's own name, e.g. {@code postgres__execute_sql}.
 *
 * <p>Server names are lower-case letters, digits and single hyphens, so they can never contain the
 * separator and the first separator in a qualified name always ends the server part.
 *
 * @param server the catalog name of the upstream server
 * @param name the upstream's own name for the tool, prompt or template
 */
public record QualifiedName(String server, String name) {
    /** The separator federation uses unless {@code sluice.registry.separator} says otherwise. */
    public static final String DEFAULT_SEPARATOR = "__";

    /** The MCP specification's recommended longest tool name. */
    public static final int MAX_RECOMMENDED_LENGTH = 128;

    private static final Pattern SERVER_NAME = Pattern.compile("[a-z0-9](?:-?[a-z0-9])*");

    public QualifiedName {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(name, "name");
        if (!isValidServerName(server)) {
            throw new IllegalArgumentException("server name '" + server
                    + "' must be lower-case letters, digits and single hyphens, starting and ending with a letter or digit");
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("the name on server '" + server + "' is empty");
        }
    }

    public static boolean isValidServerName(String server) {
        return server != null && server.length() <= 64 && SERVER_NAME.matcher(server).matches();
    }

    /** The federated form, e.g. {@code postgres__execute_sql}. */
    public String render(String separator) {
        return server + separator + name;
    }

    /** Whether the federated form is longer than MCP recommends, which some clients refuse. */
    public boolean tooLong(String separator) {
        return render(separator).length() > MAX_RECOMMENDED_LENGTH;
    }

    /** Splits a federated name at its first separator; empty when it has none or no valid server part. */
    public static Optional<QualifiedName> parse(String qualified, String separator) {
        int at = qualified.indexOf(separator);
        if (at <= 0 || at + separator.length() >= qualified.length()) {
            return Optional.empty();
        }
        String server = qualified.substring(0, at);
        if (!isValidServerName(server)) {
            return Optional.empty();
        }
        return Optional.of(new QualifiedName(server, qualified.substring(at + separator.length())));
    }
}
