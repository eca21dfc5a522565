package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {
    @TempDir
    Path dir;

    @BeforeEach
    void posixOnly() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "a POSIX file system");
    }

    @Test
    void aWrittenFileIsReadableByItsOwnerOnlyAndHoldsTheContent() throws IOException {
        Path key = dir.resolve("nested/folder/bootstrap-owner.key");
        PrivateFiles.write(key, "sk-sluice-secret\n");
        assertThat(Files.readString(key)).isEqualTo("sk-sluice-secret\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        try (Stream<Path> left = Files.list(key.getParent())) {
            assertThat(left).as("no temporary file is left behind").containsExactly(key);
        }
    }

    @Test
    void theFileIsCreatedOwnerOnlyNotNarrowedAfterwards() throws IOException {
        // a file made the ordinary way gets the umask's permissions (rw-r--r-- with the usual 022)
        Path ordinary = Files.createFile(dir.resolve("ordinary"));
        String usual = PosixFilePermissions.toString(Files.getPosixFilePermissions(ordinary));
        assumeTrue(!usual.equals("rw-------"), "a umask that gives new files wider permissions than rw-------");
        // the step that creates the file, before anything is written or changed: already owner-only
        Path created = PrivateFiles.createOwnerOnly(dir, "probe");
        assertThat(Files.size(created)).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(created))).isEqualTo("rw-------");
    }

    @Test
    void anExistingWideFileIsReplacedByAnOwnerOnlyOne() throws IOException {
        Path key = dir.resolve("hash.key");
        Files.writeString(key, "old");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        PrivateFiles.write(key, "new".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(key)).isEqualTo("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    }
}
