package dev.sluice.core;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files that hold key material (bootstrap keys, hash keys, sealing keys) so that no other
 * local user can ever read them: the content goes to a new file in the same folder that is created
 * readable and writable by its owner only ({@code rw-------}, given as an attribute of the creation
 * itself, so there is no moment with the umask's wider permissions), and that file is then moved
 * over the target in one step. A reader sees the old file or the whole new one, never a part.
 * On a file system without POSIX permissions the platform's default for a new file applies.
 */
public final class PrivateFiles {
    /** The permissions of every file this class creates. */
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    /** Writes {@code text} in UTF-8; see {@link #write(Path, byte[])}. */
    public static void write(Path path, String text) throws IOException {
        write(path, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes {@code content} to {@code path} (creating its folders), readable by its owner only from
     * the first moment, replacing the file when there is one.
     */
    public static void write(Path path, byte[] content) throws IOException {
        Path target = path.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = createOwnerOnly(dir, "." + target.getFileName() + ".");
        boolean moved = false;
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE, StandardOpenOption.SYNC)) {
                out.write(content);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * A new empty file in {@code dir} whose name starts with {@code prefix}, created with
     * {@link #OWNER_ONLY} as an attribute of the creation (POSIX file systems).
     */
    static Path createOwnerOnly(Path dir, String prefix) throws IOException {
        if (posix(dir)) {
            FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
            return Files.createTempFile(dir, prefix, ".tmp", ownerOnly);
        }
        return Files.createTempFile(dir, prefix, ".tmp");
    }

    private static boolean posix(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
