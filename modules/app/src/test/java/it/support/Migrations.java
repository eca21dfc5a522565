package it.support;

import dev.sluice.app.RepositoryFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What the repository's db-migrations/ folder says the schema version should be. */
public final class Migrations {
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.*\\.(sql|java)");

    private Migrations() {
    }

    /** The highest version among the versioned migrations (the SQL files and the Java ones), e.g. "1". */
    public static String latestVersion() {
        try (Stream<Path> files = Stream.concat(Files.list(RepositoryFiles.resolve("db-migrations")),
                Files.list(RepositoryFiles.resolve("modules/app/src/main/java/dev/sluice/app/internal/persistence")))) {
            return files.map(p -> VERSIONED.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(m -> Integer.parseInt(m.group(1)))
                    .max(Integer::compare)
                    .map(String::valueOf)
                    .orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
