package arq;

import java.io.File;
import java.net.URISyntaxException;
import org.assertj.core.api.Assertions;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * What the in-container tests deploy: the WAR the build made ({@code target/sluice.war}, as a user
 * runs it: every module's jar, the persistence unit, the migrations) with the test classes and
 * AssertJ added. Arquillian adds its own runner, JUnit and the CDI enricher.
 */
final class Deployments {

    private Deployments() {
    }

    static WebArchive sluiceWith(Class<?>... tests) {
        File war = new File(System.getProperty("sluice.war", "target/sluice.war"));
        if (!war.isFile()) {
            throw new IllegalStateException(war + " is missing: the in-container tests run after `package`");
        }
        return ShrinkWrap.createFromZipFile(WebArchive.class, war)
                .addClasses(tests)
                .addClass(Deployments.class)
                .addAsLibrary(jarOf(Assertions.class));
    }

    private static File jarOf(Class<?> type) {
        try {
            return new File(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
