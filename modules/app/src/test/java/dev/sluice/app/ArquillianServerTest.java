package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * The server of the Arquillian in-container tests (modules/app/src/test/liberty/arquillian-server.xml)
 * against the product's (liberty/config/server.xml): the tests show the wiring of the product only
 * while they run on the same features, plus the local connector the managed container needs.
 */
class ArquillianServerTest {

    private static final Path PRODUCT = RepositoryFiles.resolve("liberty/config/server.xml");
    private static final Path TESTS = RepositoryFiles.resolve("modules/app/src/test/liberty/arquillian-server.xml");

    @Test
    void theTestServerRunsTheProductsFeaturesAndTheLocalConnector() throws Exception {
        List<String> expected = new ArrayList<>(features(PRODUCT));
        expected.add("localConnector-1.0");
        assertThat(features(TESTS)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void theTestServerUsesTheProductsDataSourcesAndNoApplicationOfItsOwn() throws Exception {
        Document tests = parse(TESTS);
        assertThat(tests.getElementsByTagName("webApplication").getLength()).isZero();
        assertThat(tests.getElementsByTagName("application").getLength()).isZero();
        NodeList includes = tests.getElementsByTagName("include");
        List<String> locations = new ArrayList<>();
        for (int i = 0; i < includes.getLength(); i++) {
            locations.add(((org.w3c.dom.Element) includes.item(i)).getAttribute("location"));
        }
        assertThat(locations).contains("${server.config.dir}/datasource-${db.type}.xml");
    }

    private static List<String> features(Path serverXml) throws Exception {
        NodeList nodes = parse(serverXml).getElementsByTagName("feature");
        List<String> features = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            features.add(nodes.item(i).getTextContent().strip());
        }
        return features;
    }

    private static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }
}
