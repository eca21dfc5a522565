package dev.sluice.registry.internal;

import dev.sluice.core.ErrorKind;
import dev.sluice.core.SecretValues;
import dev.sluice.core.SluiceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves secret references in catalog values when a connection is made: {@code ${env:NAME}} is
 * the environment variable NAME ({@code ${env:NAME:-fallback}} is {@code fallback} when NAME is not
 * set, so an optional credential may be left out), {@code ${file:/path}} the file's content without
 * its trailing newline, {@code ${sealed:…}} a secret entered at run time and stored encrypted
 * ({@link SealedSecrets}). The catalog itself keeps only the references, so secrets are never written back, shown
 * or logged; an error names the reference, never a value.
 */
public final class SecretReferences {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file|sealed):([^}]+)}");

    private final UnaryOperator<String> environment;
    private final SealedSecrets sealed;
    /** For an entry defined at run time: the prefixes its {@code ${env:}} names and {@code ${file:}} paths must have (null: any). */
    private final List<String> envPrefixes;
    private final List<String> filePrefixes;

    public SecretReferences(UnaryOperator<String> environment) {
        this(environment, null);
    }

    /** @param sealed opens {@code ${sealed:…}} references (secrets entered at run time); null: none can be opened */
    public SecretReferences(UnaryOperator<String> environment, SealedSecrets sealed) {
        this(environment, sealed, null, null);
    }

    private SecretReferences(UnaryOperator<String> environment, SealedSecrets sealed, List<String> envPrefixes,
            List<String> filePrefixes) {
        this.environment = environment;
        this.sealed = sealed;
        this.envPrefixes = envPrefixes;
        this.filePrefixes = filePrefixes;
    }

    /**
     * These references as an entry defined at run time may use them: {@code ${env:NAME}} only where
     * NAME starts with one of {@code envPrefixes}, {@code ${file:PATH}} only where the normalised
     * absolute PATH lies under one of {@code filePrefixes}. (The catalog file, written by whoever runs
     * the host, may refer to anything; an admin of the REST API may not read the host's secrets.)
     */
    public SecretReferences confined(List<String> envPrefixes, List<String> filePrefixes) {
        return new SecretReferences(environment, sealed, List.copyOf(envPrefixes),
                List.copyOf(filePrefixes));
    }

    /** Refuses a reference a run-time entry may not use; nothing for the catalog file's entries. */
    public void checkAllowed(String value, String where) {
        if (value == null || envPrefixes == null) {
            return;
        }
        Matcher m = REFERENCE.matcher(value);
        while (m.find()) {
            if ("env".equals(m.group(1))) {
                int dash = m.group(2).indexOf(":-");
                String name = dash < 0 ? m.group(2) : m.group(2).substring(0, dash);
                if (envPrefixes.stream().noneMatch(p -> !p.isBlank() && name.startsWith(p))) {
                    throw new SluiceException(ErrorKind.FORBIDDEN, where + " refers to the environment variable " + name
                            + ": an entry defined at run time may refer only to variables starting with "
                            + (envPrefixes.isEmpty() ? "(none configured)" : String.join(", ", envPrefixes))
                            + " (sluice.registry.run-time.env-prefixes); put the entry in the catalog file otherwise");
                }
            } else if ("file".equals(m.group(1))) {
                Path path;
                try {
                    path = Path.of(m.group(2)).toAbsolutePath().normalize();
                } catch (InvalidPathException e) {
                    throw new SluiceException(ErrorKind.FORBIDDEN, where + " refers to a file that is no path");
                }
                if (filePrefixes.stream().noneMatch(p -> !p.isBlank() && path.startsWith(Path.of(p).toAbsolutePath().normalize()))) {
                    throw new SluiceException(ErrorKind.FORBIDDEN, where + " refers to the file " + m.group(2)
                            + ": an entry defined at run time may refer only to files under "
                            + (filePrefixes.isEmpty() ? "(none configured)" : String.join(", ", filePrefixes))
                            + " (sluice.registry.run-time.file-prefixes); put the entry in the catalog file otherwise");
                }
            }
        }
    }

    public static SecretReferences system() {
        return new SecretReferences(System::getenv);
    }

    public String resolve(String value, String where) {
        return resolve(value, where, null);
    }

    /**
     * @param binding the entry's field the value is kept in ({@link SealedSecrets#binding}): a sealed
     *     reference opens only there
     */
    public String resolve(String value, String where, String binding) {
        if (value == null) {
            return null;
        }
        checkAllowed(value, where);
        if (value.indexOf("${") < 0) {
            SecretValues.registerUrlPasswords(value);
            return value;
        }
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String resolved = switch (m.group(1)) {
                case "env" -> {
                    int dash = m.group(2).indexOf(":-");
                    String name = dash < 0 ? m.group(2) : m.group(2).substring(0, dash);
                    String v = environment.apply(name);
                    if (v == null && dash >= 0) {
                        yield m.group(2).substring(dash + 2);
                    }
                    if (v == null) {
                        throw new SluiceException(ErrorKind.UPSTREAM_UNAVAILABLE, where + " refers to the environment "
                                + "variable " + name + ", which is not set");
                    }
                    yield v;
                }
                case "sealed" -> {
                    if (sealed == null) {
                        throw new SluiceException(ErrorKind.UPSTREAM_UNAVAILABLE, where + " holds a sealed secret and"
                                + " this node has no key to open it");
                    }
                    yield sealed.open(m.group(2), where, binding);
                }
                default -> readFile(m.group(2), where);
            };
            // file and sealed values are always secrets, environment variables when their names say so
            // ({@code SLUICE_MCP_HOME} is a path, masking it would garble every answer); any length
            if ((!"env".equals(m.group(1)) || SecretValues.secretName(m.group(2))) && !resolved.isEmpty()) {
                SecretValues.register(resolved);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(resolved));
        }
        m.appendTail(out);
        String result = out.toString();
        SecretValues.registerUrlPasswords(result);
        return result;
    }

    /**
     * Resolves every value of an environment or header map. An entry whose references resolve to
     * nothing ({@code ${env:API_KEY:-}} with API_KEY unset) is left out, so that an optional
     * credential is absent rather than empty.
     */
    public Map<String, String> resolveAll(Map<String, String> values, String where) {
        return resolveAll(values, where, null);
    }

    /** @param bindingPrefix the binding of the map's field without the key ({@code server/env.}), or null */
    public Map<String, String> resolveAll(Map<String, String> values, String where, String bindingPrefix) {
        Map<String, String> resolved = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            String r = resolve(v, where + " " + k, bindingPrefix == null ? null : bindingPrefix + k);
            if (!(r.isEmpty() && isReference(v))) {
                resolved.put(k, r);
            }
        });
        return resolved;
    }

    /** Whether a value holds a reference (and so must never be shown resolved). */
    public static boolean isReference(String value) {
        return value != null && REFERENCE.matcher(value).find();
    }

    private static String readFile(String path, String where) {
        try {
            String content = Files.readString(Path.of(path));
            if (content.endsWith("\r\n")) {
                return content.substring(0, content.length() - 2);
            }
            return content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
        } catch (IOException | InvalidPathException e) {
            throw new SluiceException(ErrorKind.UPSTREAM_UNAVAILABLE, where + " refers to the file " + path
                    + ", which cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }
}
