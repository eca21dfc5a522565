package dev.sluice.security;

import dev.sluice.core.Role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.core.Caller;
import dev.sluice.core.ErrorKind;
import dev.sluice.core.SluiceException;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The attacks on key issuance: each tries to come out of an API path holding more than it went in with. */
class KeyGrantsTest {

    private static Caller caller(String subject, Role role, String... scope) {
        return new Caller(subject, role.id(), null, Set.of(), "k-" + subject, Set.of(scope));
    }

    private static ApiKey key(String owner, Role role, String... scope) {
        Instant now = Instant.now();
        return new ApiKey("id-1", "sk_abc", "k", owner, role.id(), Set.of(scope), now, now.plusSeconds(3600), null,
                null, null, null);
    }

    private static SluiceException refusal(Runnable r) {
        SluiceException e = catchThrowableOfType(SluiceException.class, r::run);
        assertThat(e).as("refused").isNotNull();
        return e;
    }

    @Test
    void aViewerOfTheOwnersSubjectCannotRotateOrRevokeTheOwnersKey() {
        Caller viewer = caller("root", Role.VIEWER);
        ApiKey owners = key("root", Role.OWNER);
        assertThat(refusal(() -> KeyGrants.checkManage(viewer, owners, "rotate")).kind()).isEqualTo(ErrorKind.FORBIDDEN);
        assertThat(refusal(() -> KeyGrants.checkManage(viewer, owners, "revoke")).kind()).isEqualTo(ErrorKind.FORBIDDEN);
    }

    @Test
    void anAdminCannotRotateAnOwnersKey() {
        SluiceException e = refusal(() -> KeyGrants.checkManage(caller("ops", Role.ADMIN), key("root", Role.OWNER), "rotate"));
        assertThat(e.kind()).isEqualTo(ErrorKind.FORBIDDEN);
        assertThat(e.detail()).contains("owner");
    }

    @Test
    void anAdminManagesKeysUpToItsOwnRoleOfAnySubject() {
        assertThatCode(() -> KeyGrants.checkManage(caller("ops", Role.ADMIN), key("bob", Role.ENGINEER), "rotate"))
                .doesNotThrowAnyException();
        assertThatCode(() -> KeyGrants.checkManage(caller("ops", Role.ADMIN), key("eve", Role.ADMIN), "revoke"))
                .doesNotThrowAnyException();
    }

    @Test
    void anotherSubjectsKeyIsNotEvenVisibleBelowAdmin() {
        SluiceException e = refusal(() -> KeyGrants.checkManage(caller("bob", Role.ENGINEER), key("alice", Role.VIEWER),
                "revoke"));
        assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
    }

    @Test
    void aScopedKeyCannotRotateAnUnscopedOne() {
        Caller scoped = caller("ci", Role.OWNER, "pg/*");
        assertThat(refusal(() -> KeyGrants.checkManage(scoped, key("ci", Role.VIEWER), "rotate")).kind())
                .isEqualTo(ErrorKind.FORBIDDEN);
        assertThatCode(() -> KeyGrants.checkManage(scoped, key("ci", Role.VIEWER, "pg/query"), "rotate"))
                .doesNotThrowAnyException();
    }

    @Test
    void noRoleAboveTheCreatorsOwn() {
        assertThat(refusal(() -> KeyGrants.checkIssue(caller("ops", Role.ADMIN), Role.OWNER, Set.of(), "ops", "create a key"))
                .kind()).isEqualTo(ErrorKind.FORBIDDEN);
        assertThatCode(() -> KeyGrants.checkIssue(caller("ops", Role.ADMIN), Role.ADMIN, Set.of(), "ops", "create a key"))
                .doesNotThrowAnyException();
    }

    @Test
    void aScopedCreatorCannotMintAnUnscopedOrWiderKey() {
        Caller scoped = caller("ci", Role.OWNER, "pg/read_*");
        assertThat(refusal(() -> KeyGrants.checkIssue(scoped, Role.VIEWER, Set.of(), "ci", "create a key")).detail())
                .contains("without a tool scope");
        assertThat(refusal(() -> KeyGrants.checkIssue(scoped, Role.VIEWER, Set.of("pg/*"), "ci", "create a key")).detail())
                .contains("pg/*");
        assertThat(refusal(() -> KeyGrants.checkIssue(scoped, Role.VIEWER, Set.of("*/read_rows"), "ci", "create a key"))
                .kind()).isEqualTo(ErrorKind.FORBIDDEN);
        assertThatCode(() -> KeyGrants.checkIssue(scoped, Role.VIEWER, Set.of("pg/read_rows", "pg/read_*x"), "ci",
                "create a key")).doesNotThrowAnyException();
    }

    @Test
    void onlyAnOwnerIssuesInAnotherSubjectsName() {
        SluiceException e = refusal(() -> KeyGrants.checkIssue(caller("ops", Role.ADMIN), Role.VIEWER, Set.of(), "root",
                "create a key"));
        assertThat(e.kind()).isEqualTo(ErrorKind.FORBIDDEN);
        assertThat(e.detail()).contains("another subject");
        assertThatCode(() -> KeyGrants.checkIssue(caller("root", Role.OWNER), Role.ENGINEER, Set.of(), "ci-bot",
                "create a key")).doesNotThrowAnyException();
        assertThatCode(() -> KeyGrants.checkIssue(caller("ops", Role.ADMIN), Role.VIEWER, Set.of(), " ops ",
                "create a key")).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @CsvSource({
        "pg/*, pg/query, true",
        "pg/*, pg/*, true",
        "pg/*, pg/q*, true",
        "pg/q*, pg/*, false",
        "pg/*, pgx/*, false",
        "*/query, pg/query, true",
        "*/query, */*, false",
        "pg/a*b, pg/a*, false",
        "pg/a*b, pg/a*xb, true",
        "pg/query, pg/query*, false",
        "*, anything/at*all, true",
    })
    void aPatternIsCoveredOnlyWhenEveryNameItMatchesIsMatched(String own, String asked, boolean covered) {
        assertThat(KeyGrants.covered(Set.of(own), asked)).isEqualTo(covered);
    }
}
