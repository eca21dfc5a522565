package dev.sluice.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.AesKeyRing;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.PrivateFiles;
import dev.sluice.core.SluiceException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Secrets entered at run time (a catalog entry's environment values and headers, a URL's password),
 * stored encrypted with AES-256-GCM: a literal value becomes the reference {@code ${sealed:…}}, which
 * only a node holding one of the keys ({@code sluice.secrets.keys}, the first seals, all open) turns
 * back into the value, when it connects. Without configured keys a node makes its own and keeps it in
 * {@code sluice.secrets.key-file}: enough for one node; nodes that share a database need the same keys.
 */
@ApplicationScoped
public class SealedSecrets {
    private static final Logger LOG = Logger.getLogger(SealedSecrets.class.getName());
    static final String PREFIX = "${sealed:";
    /** A URL's password: scheme://user:password@host. */
    private static final Pattern URL_PASSWORD = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s:@]*:[^/\\s@]+@");

    @Inject
    @ConfigProperty(name = "sluice.secrets.keys")
    Optional<List<String>> configured;

    @Inject
    @ConfigProperty(name = "sluice.secrets.key-file", defaultValue = "sealing.key")
    String keyFile;

    private AesKeyRing ring;

    SealedSecrets() {
    }

    /** For tests: a ring of given keys. */
    SealedSecrets(AesKeyRing ring) {
        this.ring = ring;
    }

    @PostConstruct
    void init() {
        Optional<AesKeyRing> keys = AesKeyRing.of(configured.orElse(List.of()), "sluice.secrets.keys");
        ring = keys.orElseGet(this::localKey);
    }

    private AesKeyRing localKey() {
        Path path = Path.of(keyFile).toAbsolutePath();
        try {
            if (!Files.exists(path)) {
                Files.createDirectories(path.getParent());
                PrivateFiles.write(path, Base64.getEncoder().encodeToString(AesKeyRing.randomKey()) + "\n");
                LOG.warning(() -> "sluice.secrets.keys is not set: secrets entered at run time are sealed with a key of"
                        + " this node, created in " + path + "; nodes that share a database need the same keys");
            }
            return AesKeyRing.of(List.of(Files.readString(path, StandardCharsets.US_ASCII)), "sluice.secrets.key-file")
                    .orElseThrow(() -> new IllegalStateException("sluice.secrets.key-file " + path + " is empty"));
        } catch (IOException e) {
            throw new IllegalStateException("sluice.secrets.key-file " + path + " cannot be read or written: " + e, e);
        }
    }

    /**
     * A value as a sealed reference, bound to where it is kept: {@code binding} (see
     * {@link #binding}) is authenticated with it, so the reference opens only in that entry's field.
     */
    public String seal(String value, String binding) {
        byte[] sealed = ring.seal(value.getBytes(StandardCharsets.UTF_8), aad(binding));
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed) + "}";
    }

    /** The binding of a catalog entry's field: {@code server/env.NAME}, {@code server/headers.NAME}, {@code server/args.2}. */
    public static String binding(String server, String field) {
        return server + "/" + field;
    }

    /**
     * The value of a sealed reference's body (what stands between {@code ${sealed:} and {@code }}),
     * when it was sealed for {@code binding}. A reference copied from another entry or field does not
     * open: an admin cannot move a secret to a URL or variable of their choice.
     */
    public String open(String body, String where, String binding) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new SluiceException(ErrorKind.UPSTREAM_UNAVAILABLE, where + " holds a sealed secret that is damaged");
        }
        return ring.open(bytes, aad(binding)).map(b -> new String(b, StandardCharsets.UTF_8)).orElseThrow(() -> new SluiceException(
                ErrorKind.UPSTREAM_UNAVAILABLE, where + " holds a secret that was not sealed for it (a sealed value opens"
                        + " only in the entry and field it was entered for; enter it again there) or was sealed with a key"
                        + " this node does not have (sluice.secrets.keys must be the same on every node)"));
    }

    private static byte[] aad(String binding) {
        return ("sluice-sealed/v2\n" + (binding == null ? "" : binding)).getBytes(StandardCharsets.UTF_8);
    }

    static boolean literal(String value) {
        return value != null && !value.isEmpty() && !value.contains("${");
    }

    /**
     * A catalog entry with its secrets sealed, each bound to its entry and field: every literal value
     * of {@code env} and {@code headers}, and every argument that carries a URL password. (An entry's
     * {@code url} stays as given: it must parse as a URL; put an upstream's credential in a header.) References ({@code ${env:…}}, {@code ${file:…}},
     * {@code ${sealed:…}}) stay as they are.
     */
    public ObjectNode sealEntry(String server, ObjectNode entry) {
        ObjectNode out = entry.deepCopy();
        for (String map : List.of("env", "headers")) {
            if (out.get(map) instanceof ObjectNode values) {
                for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (e.getValue().isTextual() && literal(e.getValue().asText())) {
                        e.setValue(values.textNode(seal(e.getValue().asText(), binding(server, map + "." + e.getKey()))));
                    }
                }
            }
        }
        if (out.get("args") instanceof ArrayNode args) {
            for (int i = 0; i < args.size(); i++) {
                if (args.get(i).isTextual() && literal(args.get(i).asText()) && URL_PASSWORD.matcher(args.get(i).asText()).find()) {
                    args.set(i, args.textNode(seal(args.get(i).asText(), binding(server, "args." + i))));
                }
            }
        }
        return out;
    }
}
