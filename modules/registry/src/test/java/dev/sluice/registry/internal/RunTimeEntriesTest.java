package dev.sluice.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.AesKeyRing;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.Json;
import dev.sluice.core.SluiceException;
import java.net.InetAddress;
import java.net.URI;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The attacks of an admin on the host through run-time catalog entries, each refused with its reason. */
class RunTimeEntriesTest {
    private static final SealedSecrets SEALED = new SealedSecrets(AesKeyRing.of(
            List.of(Base64.getEncoder().encodeToString(AesKeyRing.randomKey())), "k").orElseThrow());
    private static final UpstreamUrls URLS = new UpstreamUrls(true, true);

    private static RunTimeEntries entries(String... commands) {
        return new RunTimeEntries(List.of(commands), List.of("SLUICE_UPSTREAM_"), List.of("/run/secrets/sluice"), SEALED,
                URLS);
    }

    private static String refusal(RunTimeEntries entries, String json) {
        SluiceException e = catchThrowableOfType(SluiceException.class,
                () -> entries.check("evil", SEALED.sealEntry("evil", (ObjectNode) Json.parse(json))));
        assertThat(e).as("refusal of %s", json).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.FORBIDDEN);
        return e.detail();
    }

    @Test
    void noCommandRunsByDefault() {
        assertThat(refusal(entries(), "{\"transport\":\"stdio\",\"command\":\"sh\",\"args\":[\"-c\",\"id\"]}"))
                .contains("sluice.registry.run-time.commands is empty");
    }

    @Test
    void onlyAnAllowListedCommandRunsAndNeverInADirectoryOfTheAdminsChoice() {
        RunTimeEntries npx = entries("npx");
        assertThatCode(() -> npx.check("ok", (ObjectNode) Json.parse("{\"transport\":\"stdio\",\"command\":\"npx\"}")))
                .doesNotThrowAnyException();
        assertThat(refusal(npx, "{\"transport\":\"stdio\",\"command\":\"/usr/bin/npx\"}")).contains("npx");
        assertThat(refusal(npx, "{\"transport\":\"stdio\",\"command\":\"npx\",\"cwd\":\"/etc\"}")).contains("cwd");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"transport\":\"streamable-http\",\"url\":\"https://x.example/mcp\",\"headers\":{\"A\":\"${env:DB_PASSWORD}\"}}",
        "{\"transport\":\"streamable-http\",\"url\":\"https://x.example/mcp\",\"headers\":{\"A\":\"Bearer ${env:SLUICE_SECRETS_KEYS:-x}\"}}",
        "{\"transport\":\"streamable-http\",\"url\":\"https://x.example/mcp\",\"headers\":{\"A\":\"${file:/etc/shadow}\"}}",
        "{\"transport\":\"streamable-http\",\"url\":\"https://x.example/mcp\",\"headers\":{\"A\":\"${file:/run/secrets/sluice/../../../etc/passwd}\"}}",
        "{\"transport\":\"stdio\",\"command\":\"npx\",\"env\":{\"T\":\"${env:HOME}\"}}",
        "{\"transport\":\"stdio\",\"command\":\"npx\",\"args\":[\"${file:/root/.ssh/id_rsa}\"]}",
    })
    void hostSecretsAreOutOfReach(String json) {
        assertThat(refusal(entries("npx"), json)).containsAnyOf("sluice.registry.run-time.env-prefixes",
                "sluice.registry.run-time.file-prefixes");
    }

    @Test
    void allowListedReferencesPass() {
        assertThatCode(() -> entries().check("ok", (ObjectNode) Json.parse("{\"transport\":\"streamable-http\","
                + "\"url\":\"https://x.example/mcp\",\"headers\":{\"A\":\"Bearer ${env:SLUICE_UPSTREAM_WAREHOUSE_TOKEN}\","
                + "\"B\":\"${file:/run/secrets/sluice/warehouse}\"}}"))).doesNotThrowAnyException();
    }

    @Test
    void aSealedValueCopiedFromAnotherEntryIsRefused() {
        String stolen = SEALED.sealEntry("warehouse", (ObjectNode) Json.parse("{\"headers\":{\"Authorization\":\"Bearer s3cret\"}}"))
                .path("headers").path("Authorization").asText();
        assertThat(refusal(entries(), "{\"transport\":\"streamable-http\",\"url\":\"https://attacker.example/mcp\","
                + "\"headers\":{\"Authorization\":\"" + stolen + "\"}}")).contains("not sealed for it");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/mcp", "http://[fd00:ec2::254]/",
        "http://metadata.google.internal/computeMetadata/v1/", "http://0.0.0.0:9080/mcp", "http://169.254.170.2/v2/credentials",
        "http://[::ffff:169.254.169.254]/"})
    void metadataAndLinkLocalAddressesAreAlwaysRefused(String url) {
        assertThat(refusal(entries(), "{\"transport\":\"streamable-http\",\"url\":\"" + url + "\"}")).contains("may not reach");
    }

    @Test
    void loopbackAndPrivateRangesFollowConfiguration() throws Exception {
        UpstreamUrls strict = new UpstreamUrls(false, false);
        assertThat(strict.refusal(InetAddress.getByName("127.0.0.1"))).contains("allow-loopback");
        assertThat(strict.refusal(InetAddress.getByName("10.1.2.3"))).contains("allow-private");
        assertThat(strict.refusal(InetAddress.getByName("100.64.0.1"))).contains("allow-private");
        assertThat(strict.refusal(InetAddress.getByName("fd12::1"))).contains("allow-private");
        assertThat(strict.refusal(InetAddress.getByName("93.184.216.34"))).isNull();
        assertThat(URLS.refusal(InetAddress.getByName("127.0.0.1"))).isNull();
        assertThatCode(() -> URLS.check(URI.create("http://localhost:3001/mcp"), "s")).doesNotThrowAnyException();
    }
}
