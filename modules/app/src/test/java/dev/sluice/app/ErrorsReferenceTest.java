package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** src-docs/reference/errors.md lists every error kind with the status and code Sluice answers. */
class ErrorsReferenceTest {
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z-]+)` \\| (\\d{3}) \\| (-\\d+) \\|", Pattern.MULTILINE);

    @Test
    void theTableMatchesTheErrorKindsExactly() throws IOException {
        String doc = Files.readString(RepositoryFiles.resolve("src-docs/reference/errors.md"));
        Map<String, String> documented = new HashMap<>();
        Matcher m = ROW.matcher(doc);
        while (m.find()) {
            documented.put(m.group(1), m.group(2) + " " + m.group(3));
        }
        Map<String, String> actual = Stream.of(ErrorKind.values()).collect(Collectors.toMap(
                ErrorKind::slug, k -> k.httpStatus() + " " + k.jsonRpcCode()));
        assertThat(documented).isEqualTo(actual);
    }

    @Test
    void slugsAreUniqueSoProblemTypesAreStable() {
        assertThat(Stream.of(ErrorKind.values()).map(ErrorKind::slug)).doesNotHaveDuplicates();
    }
}
