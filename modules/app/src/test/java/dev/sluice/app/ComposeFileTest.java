package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker-compose.yml against the files it depends on: the Liberty configuration that reads its
 * environment, the Dockerfile it builds and the monitoring files it mounts. Each check is something a
 * user of {@code docker compose up} would run into if it were wrong.
 */
class ComposeFileTest {

    private static final String COMPOSE_FILE = "docker-compose.yml";
    /** {@code ${VAR}}, {@code ${VAR-default}} and {@code ${VAR:-default}}. */
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");
    /** Where the prom/prometheus image reads its configuration unless told otherwise. */
    private static final String PROMETHEUS_CONFIG = "/etc/prometheus/prometheus.yml";
    /** Where the grafana/grafana image reads its provisioning files. */
    private static final String GRAFANA_PROVISIONING = "/etc/grafana/provisioning";

    private static Path repo;
    private static Map<String, Object> services;

    @BeforeAll
    static void readComposeFile() {
        repo = RepositoryFiles.root();
        services = map(yaml(repo.resolve(COMPOSE_FILE)).get("services"));
    }

    @Nested
    class Services {

        @ParameterizedTest
        @ValueSource(strings = {"sluice", "postgres", "redis", "prometheus", "grafana"})
        void areDefinedWithAHealthcheck(String name) {
            assertThat(services).containsKey(name);
            assertThat(map(service(name).get("healthcheck")))
                    .as("healthcheck of %s", name)
                    .containsKey("test")
                    .doesNotContainEntry("disable", true);
        }
    }

    @Nested
    class SluiceDatabase {

        @Test
        void isPostgres() {
            assertThat(environment("sluice")).containsEntry("DB_TYPE", "postgres");
        }

        @Test
        void isConfiguredThroughEveryVariableThePostgresConfigurationReads() {
            List<String> variables = libertyVariables(repo.resolve("liberty/config/datasource-postgres.xml"));

            assertThat(variables).isNotEmpty();
            assertThat(environment("sluice"))
                    .containsKeys(variables.stream().map(ComposeFileTest::environmentName).toArray(String[]::new));
        }

        @Test
        void isTheDatabaseThePostgresServiceCreates() {
            Map<String, String> sluice = environment("sluice");
            String host = sluice.get("DB_HOST");
            assertThat(services).as("services (DB_HOST is %s)", host).containsKey(host);

            Map<String, String> database = environment(host);
            assertThat(sluice)
                    .containsEntry("DB_NAME", database.get("POSTGRES_DB"))
                    .containsEntry("DB_USER", database.get("POSTGRES_USER"))
                    .containsEntry("DB_PASSWORD", database.get("POSTGRES_PASSWORD"))
                    .containsEntry("DB_PORT", database.getOrDefault("PGPORT", "5432"));
        }
    }

    @Nested
    class Startup {

        @Test
        void sluiceWaitsForAHealthyDatabaseAndCache() {
            assertThat(dependencies("sluice"))
                    .containsEntry("postgres", "service_healthy")
                    .containsEntry("redis", "service_healthy");
        }
    }

    @Nested
    class SluiceImage {

        @Test
        void isBuiltFromADockerfileThatExists() {
            Object build = service("sluice").get("build");
            assertThat(build).as("build of sluice").isNotNull();

            String context = build instanceof String path ? path : String.valueOf(map(build).getOrDefault("context", "."));
            String dockerfile = String.valueOf(map(build).getOrDefault("dockerfile", "Dockerfile"));
            assertThat(repo.resolve(context).resolve(dockerfile)).isRegularFile();
        }
    }

    @Nested
    class Monitoring {

        @ParameterizedTest
        @ValueSource(strings = {"prometheus", "grafana"})
        void mountsFilesThatExist(String name) {
            assertThat(bindMounts(name))
                    .as("files mounted into %s", name)
                    .isNotEmpty()
                    .allSatisfy(mount -> assertThat(repo.resolve(mount.source())).exists());
        }

        @Test
        void prometheusScrapesTheSluiceService() {
            Map<String, Object> config = yaml(mountedAt("prometheus", PROMETHEUS_CONFIG));

            List<String> hosts = list(config.get("scrape_configs")).stream()
                    .flatMap(job -> list(map(job).get("static_configs")).stream())
                    .flatMap(staticConfig -> list(map(staticConfig).get("targets")).stream())
                    .map(target -> String.valueOf(target).split(":")[0])
                    .toList();
            assertThat(hosts).contains("sluice");
        }

        @Test
        void prometheusFindsItsRuleFilesWhereTheyAreMounted() {
            Map<String, Object> config = yaml(mountedAt("prometheus", PROMETHEUS_CONFIG));
            String configDir = PROMETHEUS_CONFIG.substring(0, PROMETHEUS_CONFIG.lastIndexOf('/'));

            List<String> ruleFiles = list(config.get("rule_files")).stream()
                    .map(String::valueOf)
                    .map(file -> file.startsWith("/") ? file : configDir + "/" + file)
                    .toList();
            assertThat(ruleFiles).isNotEmpty();
            assertThat(bindMounts("prometheus").stream().map(Mount::target).toList()).containsAll(ruleFiles);
        }

        @Test
        void grafanaLoadsDashboardsFromAMountedFolderThatHoldsOne() {
            Path providers = mountedAt("grafana", GRAFANA_PROVISIONING).resolve("dashboards");
            List<String> dashboardFolders = filesIn(providers).stream()
                    .filter(file -> file.toString().matches(".*\\.ya?ml"))
                    .flatMap(file -> list(yaml(file).get("providers")).stream())
                    .map(provider -> String.valueOf(map(map(provider).get("options")).get("path")))
                    .toList();

            assertThat(dashboardFolders).isNotEmpty().allSatisfy(folder ->
                    assertThat(filesIn(mountedAt("grafana", folder)))
                            .as("dashboards in %s", folder)
                            .anyMatch(file -> file.toString().endsWith(".json")));
        }
    }

    private record Mount(String source, String target) {
    }

    private static Map<String, Object> service(String name) {
        return map(services.get(name));
    }

    /** A service's environment, {@code ${VAR:-default}} read as its default. */
    private static Map<String, String> environment(String service) {
        Object environment = service(service).get("environment");
        Map<String, String> variables = new LinkedHashMap<>();
        if (environment instanceof List<?> entries) {
            for (Object entry : entries) {
                String[] nameAndValue = String.valueOf(entry).split("=", 2);
                variables.put(nameAndValue[0], nameAndValue.length == 2 ? resolve(nameAndValue[1]) : "");
            }
        } else {
            map(environment).forEach((name, value) -> variables.put(name, value == null ? "" : resolve(String.valueOf(value))));
        }
        return variables;
    }

    /** What a service waits for, by service name: the condition, or service_started for the short list form. */
    private static Map<String, String> dependencies(String service) {
        Object dependsOn = service(service).get("depends_on");
        Map<String, String> conditions = new LinkedHashMap<>();
        if (dependsOn instanceof List<?> names) {
            names.forEach(name -> conditions.put(String.valueOf(name), "service_started"));
        } else {
            map(dependsOn).forEach((name, options) ->
                    conditions.put(name, String.valueOf(map(options).getOrDefault("condition", "service_started"))));
        }
        return conditions;
    }

    /** The host paths a service mounts (short {@code ./src:/target[:ro]} or long {@code type: bind} form). */
    private static List<Mount> bindMounts(String service) {
        List<Mount> mounts = new ArrayList<>();
        for (Object volume : list(service(service).get("volumes"))) {
            if (volume instanceof String spec) {
                String[] parts = spec.split(":");
                boolean hostPath = parts[0].startsWith(".") || parts[0].startsWith("/");
                if (parts.length >= 2 && hostPath) {
                    mounts.add(new Mount(parts[0], parts[1]));
                }
            } else if ("bind".equals(map(volume).get("type"))) {
                mounts.add(new Mount(String.valueOf(map(volume).get("source")), String.valueOf(map(volume).get("target"))));
            }
        }
        return mounts;
    }

    /** The file or folder of the repository that a service sees at {@code target}. */
    private static Path mountedAt(String service, String target) {
        return bindMounts(service).stream()
                .filter(mount -> mount.target().equals(target))
                .findFirst()
                .map(mount -> repo.resolve(mount.source()).normalize())
                .orElseThrow(() -> new AssertionError(service + " mounts nothing at " + target));
    }

    /** The names of the {@code <variable name="..."/>} elements of a Liberty configuration file. */
    private static List<String> libertyVariables(Path configFile) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            NodeList variables = factory.newDocumentBuilder().parse(configFile.toFile()).getElementsByTagName("variable");
            List<String> names = new ArrayList<>();
            for (int i = 0; i < variables.getLength(); i++) {
                names.add(((Element) variables.item(i)).getAttribute("name"));
            }
            return names;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + configFile, e);
        }
    }

    /** The environment variable Liberty reads a variable from: {@code db.host} from {@code DB_HOST}. */
    private static String environmentName(String libertyVariable) {
        return libertyVariable.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** A compose value with each {@code ${VAR:-default}} replaced by its default (a bare {@code ${VAR}} by nothing). */
    private static String resolve(String value) {
        Matcher interpolation = INTERPOLATION.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (interpolation.find()) {
            String fallback = interpolation.group(2) == null ? "" : interpolation.group(2);
            interpolation.appendReplacement(resolved, Matcher.quoteReplacement(fallback));
        }
        interpolation.appendTail(resolved);
        return resolved.toString();
    }

    private static List<Path> filesIn(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> yaml(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            return map(new Yaml(new SafeConstructor(new LoaderOptions())).load(reader));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return node instanceof Map<?, ?> mapping ? (Map<String, Object>) mapping : Map.of();
    }

    private static List<Object> list(Object node) {
        return node instanceof List<?> sequence ? new ArrayList<>(sequence) : List.of();
    }
}
