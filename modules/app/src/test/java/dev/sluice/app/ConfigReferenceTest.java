package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every configuration key Sluice reads is in src-docs/reference/configuration.md. */
class ConfigReferenceTest {
    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern CONFIG_LOOKUP = Pattern.compile("getOptionalValue\\(\\s*\"([^\"]+)\"");
    /** A group of keys under one prefix: its fields' names are relative to it. */
    private static final Pattern CONFIG_GROUP = Pattern.compile("@ConfigProperties\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern LIBERTY_VARIABLE = Pattern.compile("<variable\\s+name=\"([^\"]+)\"");

    private static String reference;

    @BeforeAll
    static void readReference() throws IOException {
        reference = Files.readString(RepositoryFiles.resolve("src-docs/reference/configuration.md"));
    }

    private static Set<String> matches(Path root, String suffix, Pattern pattern) throws IOException {
        Set<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(p -> p.toString().endsWith(suffix)).toList()) {
                String text = Files.readString(file);
                Matcher group = CONFIG_GROUP.matcher(text);
                String prefix = group.find() ? group.group(1) + "." : "";
                Matcher m = pattern.matcher(text);
                while (m.find()) {
                    found.add(prefix + m.group(1));
                }
            }
        }
        return found;
    }

    @Test
    void everyKeyTheCodeReadsIsDocumented() throws IOException {
        Set<String> keys = matches(RepositoryFiles.resolve("modules"), ".java", CONFIG_PROPERTY);
        keys.addAll(matches(RepositoryFiles.resolve("modules"), ".java", CONFIG_LOOKUP));
        keys.removeIf(k -> k.equals("http.port")); // documented as the Liberty variable below
        // a family such as sluice.cache.ttl.<category> is documented by its pattern
        keys = keys.stream().map(k -> k.endsWith(".") ? k + "<category>" : k)
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        assertThat(keys).as("keys read with @ConfigProperty (alone or in a @ConfigProperties group)").isNotEmpty();
        assertThat(keys).allSatisfy(key -> assertThat(reference).as("reference of %s", key).contains("`" + key + "`"));
    }

    @Test
    void everyDefaultTheApplicationShipsIsDocumented() throws IOException {
        Properties defaults = new Properties();
        try (InputStream in = Files.newInputStream(RepositoryFiles.resolve(
                "modules/app/src/main/resources/META-INF/microprofile-config.properties"))) {
            defaults.load(in);
        }
        assertThat(defaults.stringPropertyNames())
                .allSatisfy(key -> assertThat(reference).as("reference of %s", key).contains("`" + key + "`"));
    }

    @Test
    void everyServerVariableIsDocumentedWithItsEnvironmentVariable() throws IOException {
        Set<String> variables = matches(RepositoryFiles.resolve("liberty/config"), ".xml", LIBERTY_VARIABLE);
        assertThat(variables).contains("http.port", "db.type", "db.host");
        for (String variable : variables) {
            String env = variable.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
            assertThat(reference).as("reference of %s", variable).contains("`" + variable + "`").contains("`" + env + "`");
        }
    }
}
