package dev.sluice.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.sluice.core.PipelineStep;
import dev.sluice.core.Step;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Holds the code to the module arrows written down in src-docs/concepts/modules.md: no module uses
 * another's internal package, no dependency points an arrow the table does not allow, and every
 * module descriptor says the same as the table.
 */
class ModularityTest {
    private static final String ROOT = "dev.sluice.";

    /** module -> modules it may depend on, read from the document. */
    private static Map<String, Set<String>> arrows;
    private static JavaClasses classes;

    @BeforeAll
    static void readArrowsAndClasses() throws IOException {
        arrows = readArrows(RepositoryFiles.resolve("src-docs/concepts/modules.md"));
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.sluice");
    }

    static Map<String, Set<String>> readArrows(Path doc) throws IOException {
        String text = Files.readString(doc);
        int start = text.indexOf("<!-- arrows:start -->");
        int end = text.indexOf("<!-- arrows:end -->");
        assertThat(start).as("arrows table markers in %s", doc).isNotNegative().isLessThan(end);
        Map<String, Set<String>> table = new LinkedHashMap<>();
        for (String line : text.substring(start, end).lines().toList()) {
            String[] cells = line.split("\\|", -1);
            if (cells.length < 3 || cells[1].isBlank() || cells[1].contains("module") || cells[1].contains("---")) {
                continue;
            }
            Set<String> targets = Arrays.stream(cells[2].split(","))
                    .map(String::strip).filter(s -> !s.isEmpty())
                    .collect(Collectors.toCollection(TreeSet::new));
            table.put(cells[1].strip(), targets);
        }
        return table;
    }

    @Test
    void theTableNamesTheModulesTheArchitectureRequires() {
        assertThat(arrows.keySet()).contains("core", "security", "registry", "cache", "agents", "observability", "app");
        arrows.values().forEach(targets -> assertThat(arrows.keySet()).containsAll(targets));
    }

    @Nested
    class InTheCode {
        @Test
        void noModuleUsesAnotherModulesInternalPackage() {
            for (String module : arrows.keySet()) {
                noClasses().that().resideOutsideOfPackage(ROOT + module + "..")
                        .should().dependOnClassesThat().resideInAPackage(ROOT + module + ".internal..")
                        .because("the internal package of " + module + " is its own business")
                        .check(classes);
            }
        }

        @Test
        void everyDependencyFollowsAnAllowedArrow() {
            for (String module : arrows.keySet()) {
                List<String> forbidden = new ArrayList<>();
                for (String other : arrows.keySet()) {
                    if (!other.equals(module) && !arrows.get(module).contains(other)) {
                        forbidden.add(ROOT + other + "..");
                    }
                }
                if (forbidden.isEmpty()) {
                    continue;
                }
                noClasses().that().resideInAPackage(ROOT + module + "..")
                        .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new))
                        .because(module + " may depend only on " + arrows.get(module))
                        .check(classes);
            }
        }

        @Test
        void everyRequiredModuleIsUsed() {
            // a module that requires another it never uses points an arrow nobody follows
            for (ModuleDescriptor d : sluiceDescriptors().values()) {
                String module = d.name().substring(ROOT.length());
                for (ModuleDescriptor.Requires r : d.requires()) {
                    if (!r.name().startsWith(ROOT)) {
                        continue;
                    }
                    boolean used = classes.stream()
                            .filter(c -> c.getPackageName().startsWith(d.name()))
                            .flatMap(c -> c.getDirectDependenciesFromSelf().stream())
                            .anyMatch(dep -> dep.getTargetClass().getPackageName().startsWith(r.name()));
                    assertThat(used).as("%s requires %s, and uses it", module, r.name()).isTrue();
                }
            }
        }

        @Test
        void everyPipelineStepLivesInTheInternalPackageOfTheModuleThatOwnsItsConcern() {
            Map<Step.Stage, String> owners = Map.of(Step.Stage.OBSERVE, "observability", Step.Stage.AUTHORISE, "security",
                    Step.Stage.RATE_LIMIT, "cache", Step.Stage.VALIDATE, "security", Step.Stage.CACHE, "cache",
                    Step.Stage.MASK, "security", Step.Stage.INVOKE, "registry");
            Map<Step.Stage, String> found = new java.util.EnumMap<>(Step.Stage.class);
            classes.stream().filter(c -> c.isAnnotatedWith(Step.class)).forEach(c -> {
                Step.Stage stage = c.getAnnotationOfType(Step.class).value();
                assertThat(found.put(stage, c.getName())).as("one step for %s", stage).isNull();
                assertThat(c.isAssignableTo(PipelineStep.class)).as("%s is a step", c.getName()).isTrue();
                assertThat(c.getPackageName()).as("the package of %s (%s)", c.getName(), stage)
                        .isEqualTo(ROOT + owners.get(stage) + ".internal");
            });
            assertThat(found.keySet()).as("a step for every stage").containsExactlyInAnyOrder(Step.Stage.values());
        }

        @Test
        void appImplementsNoPipelineStep() {
            // app assembles the pipeline; what a step does belongs to the module of its concern
            assertThat(classes.stream().filter(c -> c.getPackageName().startsWith(ROOT + "app"))
                    .filter(c -> c.isAssignableTo(PipelineStep.class)).map(c -> c.getName()).toList()).isEmpty();
        }

        @Test
        void theRuleCatchesAWrongArrow() {
            // a guard on the guard: core must not use observability, and the rule above would say so
            JavaClasses app = new ClassFileImporter().importPackages("dev.sluice.app");
            assertThat(noClasses().that().resideInAPackage(ROOT + "app..")
                    .should().dependOnClassesThat().resideInAPackage(ROOT + "observability..")
                    .evaluate(app).hasViolation())
                    .as("app really uses observability, so a rule forbidding it must fail")
                    .isTrue();
        }
    }

    @Nested
    class InTheModuleDescriptors {
        @Test
        void eachModuleIsOpenNamedAfterItsRootPackageAndExportsNoInternals() {
            Map<String, ModuleDescriptor> descriptors = sluiceDescriptors();
            assertThat(descriptors.keySet()).containsExactlyInAnyOrderElementsOf(
                    arrows.keySet().stream().map(m -> ROOT + m).toList());
            for (ModuleDescriptor d : descriptors.values()) {
                assertThat(d.isOpen()).as("%s is an open module", d.name()).isTrue();
                Set<String> exported = d.exports().stream().map(ModuleDescriptor.Exports::source)
                        .collect(Collectors.toSet());
                if (!d.name().equals(ROOT + "app")) {
                    assertThat(exported).as("%s exports its root package", d.name()).contains(d.name());
                }
                assertThat(exported).as("%s exports only API packages", d.name())
                        .noneMatch(p -> p.contains(".internal"))
                        .allMatch(p -> p.startsWith(d.name()));
            }
        }

        @Test
        void eachModuleRequiresOnlyTheModulesItsArrowsAllow() {
            for (ModuleDescriptor d : sluiceDescriptors().values()) {
                String module = d.name().substring(ROOT.length());
                Set<String> required = d.requires().stream().map(ModuleDescriptor.Requires::name)
                        .filter(n -> n.startsWith(ROOT)).map(n -> n.substring(ROOT.length()))
                        .collect(Collectors.toCollection(TreeSet::new));
                assertThat(arrows.get(module)).as("arrows of %s", module).containsAll(required);
            }
        }
    }

    @Test
    void everyPackageSaysWhatItIsFor() throws IOException {
        List<String> missing = new ArrayList<>();
        try (Stream<Path> files = Files.walk(RepositoryFiles.resolve("modules"))) {
            Set<Path> packages = files
                    .filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/main/java/"))
                    .filter(p -> !p.getFileName().toString().equals("module-info.java"))
                    .map(Path::getParent)
                    .collect(Collectors.toSet());
            for (Path pkg : packages) {
                if (!Files.exists(pkg.resolve("package-info.java"))) {
                    missing.add(RepositoryFiles.root().relativize(pkg).toString());
                }
            }
        }
        Collections.sort(missing);
        assertThat(missing).as("packages without package-info.java").isEmpty();
    }

    private static Map<String, ModuleDescriptor> sluiceDescriptors() {
        Map<String, ModuleDescriptor> found = new LinkedHashMap<>();
        try {
            for (URL url : Collections.list(ModularityTest.class.getClassLoader().getResources("module-info.class"))) {
                try (InputStream in = url.openStream()) {
                    ModuleDescriptor d = ModuleDescriptor.read(in);
                    if (d.name().startsWith(ROOT)) {
                        found.put(d.name(), d);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }
}
