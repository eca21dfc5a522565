package dev.sluice.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.SluiceException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What an entry defined through the REST API (not the catalog file) may do. The catalog file is
 * written by whoever runs the host; an admin of the API is not that person, so an API entry:
 *
 * <ul>
 *   <li>runs only an executable named in {@code sluice.registry.run-time.commands} (none by default:
 *       the catalog file is where commands are chosen), in no working directory of its choice;</li>
 *   <li>refers only to environment variables starting with {@code sluice.registry.run-time.env-prefixes}
 *       ({@code SLUICE_UPSTREAM_} by default) and to files under {@code sluice.registry.run-time.file-prefixes}
 *       (none by default);</li>
 *   <li>carries only sealed secrets sealed for its own fields (a copy from another entry does not open);</li>
 *   <li>reaches only URLs that {@link UpstreamUrls} allows.</li>
 * </ul>
 *
 * Checked when the entry is changed and again whenever a connection is made from it.
 */
@ApplicationScoped
public class RunTimeEntries {
    private static final Pattern SEALED = Pattern.compile("\\$\\{sealed:([^}]+)}");

    @Inject
    @ConfigProperty(name = "sluice.registry.run-time.commands")
    Optional<List<String>> commands;

    @Inject
    @ConfigProperty(name = "sluice.registry.run-time.env-prefixes", defaultValue = "SLUICE_UPSTREAM_")
    List<String> envPrefixes;

    @Inject
    @ConfigProperty(name = "sluice.registry.run-time.file-prefixes")
    Optional<List<String>> filePrefixes;

    @Inject
    SealedSecrets sealed;

    /** Resolves {@code ${env:}} in a command to compare it with the allow-list (System::getenv; tests give theirs). */
    UnaryOperator<String> environment = System::getenv;

    @Inject
    UpstreamUrls urls;

    RunTimeEntries() {
    }

    /** For tests. */
    RunTimeEntries(List<String> commands, List<String> envPrefixes, List<String> filePrefixes, SealedSecrets sealed,
            UpstreamUrls urls) {
        this.commands = Optional.of(commands);
        this.envPrefixes = envPrefixes;
        this.filePrefixes = Optional.of(filePrefixes);
        this.sealed = sealed;
        this.urls = urls;
    }

    /** The references an API entry may resolve. */
    SecretReferences confine(SecretReferences references) {
        return references.confined(envPrefixes, filePrefixes.orElse(List.of()));
    }

    /**
     * Refuses a command (or working directory) an API entry may not run.
     *
     * @param command the executable with its references resolved: the allow-list names executables
     *     as they are run ({@code npx}, {@code /opt/mcp/bin/mcp-server-x})
     */
    void checkCommand(String command, String cwd, String where) {
        List<String> allowed = commands.orElse(List.of()).stream().map(String::strip).filter(c -> !c.isEmpty()).toList();
        if (command == null || !allowed.contains(command.strip())) {
            throw new SluiceException(ErrorKind.FORBIDDEN, where + " runs '" + command + "': a server defined at run time"
                    + " may run only " + (allowed.isEmpty() ? "nothing (sluice.registry.run-time.commands is empty)"
                    : "the executables of sluice.registry.run-time.commands (" + String.join(", ", allowed) + ")")
                    + "; commands are chosen in the catalog file");
        }
        if (cwd != null && !cwd.isBlank()) {
            throw new SluiceException(ErrorKind.FORBIDDEN, where + " sets 'cwd': a server defined at run time starts in"
                    + " Sluice's own working directory; set a working directory in the catalog file");
        }
    }

    /**
     * Checks a whole entry as an admin gives it (with its literal secrets sealed already).
     *
     * @throws SluiceException {@link ErrorKind#FORBIDDEN} naming the field and the setting that decides
     */
    void check(String server, ObjectNode entry) {
        String where = "server '" + server + "'";
        SecretReferences refs = confine(new SecretReferences(environment, sealed));
        if (entry.hasNonNull("command") || "stdio".equals(entry.path("transport").asText())) {
            String command = entry.path("command").asText(null);
            if (command != null) {
                refs.checkAllowed(command, where + " command");
                try {
                    command = refs.resolve(command, where + " command", SealedSecrets.binding(server, "command"));
                } catch (SluiceException e) {
                    throw new SluiceException(ErrorKind.INVALID_PARAMS, e.detail());
                }
            }
            checkCommand(command, entry.path("cwd").asText(null), where);
        }
        if (entry.path("url").isTextual()) {
            refs.checkAllowed(entry.path("url").asText(), where + " url");
            try {
                urls.check(URI.create(entry.path("url").asText()), where);
            } catch (IllegalArgumentException e) {
                // not a URL: the catalog's own validation names it
            } catch (SluiceException e) {
                throw new SluiceException(ErrorKind.FORBIDDEN, e.detail());
            }
        }
        if (entry.get("args") instanceof ArrayNode args) {
            for (int i = 0; i < args.size(); i++) {
                checkValue(refs, server, "args." + i, args.get(i), where + " argument " + i);
            }
        }
        checkValue(refs, server, "command", entry.get("command"), where + " command");
        for (String map : List.of("env", "headers")) {
            if (entry.get(map) instanceof ObjectNode values) {
                for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> e = it.next();
                    checkValue(refs, server, map + "." + e.getKey(), e.getValue(), where + " " + map + " " + e.getKey());
                }
            }
        }
    }

    private void checkValue(SecretReferences refs, String server, String field, JsonNode value, String where) {
        if (value == null || !value.isTextual()) {
            return;
        }
        refs.checkAllowed(value.asText(), where);
        Matcher m = SEALED.matcher(value.asText());
        while (m.find()) {
            try {
                sealed.open(m.group(1), where, SealedSecrets.binding(server, field));
            } catch (SluiceException e) {
                throw new SluiceException(ErrorKind.FORBIDDEN, where + " holds a sealed secret that was not sealed for it:"
                        + " a sealed value stays in the entry and field it was entered for; enter the secret itself");
            }
        }
    }
}
