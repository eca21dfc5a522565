package dev.sluice.security.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;

/** The built-in allow-list of the SQL guard (read-functions.txt next to this class). */
public final class ReadFunctions {

    private static final Set<String> BUILT_IN = load();

    private ReadFunctions() {
    }

    /** PostgreSQL built-ins a read-only SQL tool may call, lower case, unqualified. */
    public static Set<String> builtIn() {
        return BUILT_IN;
    }

    private static Set<String> load() {
        try (InputStream in = ReadFunctions.class.getResourceAsStream("read-functions.txt")) {
            if (in == null) {
                throw new IllegalStateException("read-functions.txt is missing from dev.sluice.security.internal");
            }
            Set<String> names = new TreeSet<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int hash = line.indexOf('#');
                String content = hash >= 0 ? line.substring(0, hash) : line;
                for (String name : content.strip().split("\\s+")) {
                    if (!name.isEmpty()) {
                        names.add(name);
                    }
                }
            }
            return Set.copyOf(names);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
