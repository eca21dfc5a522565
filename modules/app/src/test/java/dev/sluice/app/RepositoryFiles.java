package dev.sluice.app;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root from a test, wherever the build runs it. */
public final class RepositoryFiles {
    private RepositoryFiles() {
    }

    public static Path root() {
        String configured = System.getProperty("sluice.repo.dir");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("db-migrations"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root (no db-migrations/ above "
                    + Path.of("").toAbsolutePath() + ")");
        }
        return dir;
    }

    public static Path resolve(String relative) {
        return root().resolve(relative);
    }
}
