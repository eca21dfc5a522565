package dev.sluice.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.sluice.core.Json;
import org.junit.jupiter.api.Test;

class CacheKeyTest {

    private static final String ARGS = "{\"sql\":\"select 1\",\"limit\":10,\"options\":{\"b\":[1,2,{\"y\":1,\"x\":2}],\"a\":true}}";
    private static final String SAME_ARGS_REORDERED = """
            {
              "options" : { "a" : true,   "b" : [ 1, 2, { "x" : 2, "y" : 1 } ] },
              "limit"   : 10,
              "sql"     : "select 1"
            }
            """;

    @Test
    void memberOrderAndWhitespaceDoNotChangeTheDigest() {
        CacheKey a = CacheKey.of("postgres", "query", "shared", Json.parse(ARGS));
        CacheKey b = CacheKey.of("postgres", "query", "shared", Json.parse(SAME_ARGS_REORDERED));

        assertThat(b.digest()).isEqualTo(a.digest());
        assertThat(b).isEqualTo(a);
    }

    @Test
    void theDigestIsAHexSha256ThatDoesNotCarryTheArgumentsInClear() {
        CacheKey key = CacheKey.of("postgres", "query", "user:alice", Json.parse("{\"sql\":\"select secret_col\"}"));

        assertThat(key.digest()).matches("[0-9a-f]{64}");
        assertThat(key.toString()).doesNotContain("secret_col").doesNotContain("alice");
    }

    @Test
    void aDifferentScopeGivesADifferentDigest() {
        CacheKey shared = CacheKey.of("postgres", "query", "shared", Json.parse(ARGS));
        CacheKey alice = CacheKey.of("postgres", "query", "user:alice", Json.parse(ARGS));
        CacheKey bob = CacheKey.of("postgres", "query", "user:bob", Json.parse(ARGS));

        assertThat(alice.digest()).isNotEqualTo(shared.digest()).isNotEqualTo(bob.digest());
        assertThat(alice).isNotEqualTo(bob);
    }

    @Test
    void differentArgumentValuesGiveDifferentDigests() {
        CacheKey ten = CacheKey.of("postgres", "query", "shared", Json.parse("{\"sql\":\"select 1\",\"limit\":10}"));
        CacheKey eleven = CacheKey.of("postgres", "query", "shared", Json.parse("{\"sql\":\"select 1\",\"limit\":11}"));
        CacheKey text = CacheKey.of("postgres", "query", "shared", Json.parse("{\"sql\":\"select 1\",\"limit\":\"10\"}"));
        CacheKey nested = CacheKey.of("postgres", "query", "shared",
                Json.parse("{\"sql\":\"select 1\",\"limit\":10,\"opts\":{\"a\":1}}"));
        CacheKey nestedOther = CacheKey.of("postgres", "query", "shared",
                Json.parse("{\"sql\":\"select 1\",\"limit\":10,\"opts\":{\"a\":2}}"));

        assertThat(eleven.digest()).isNotEqualTo(ten.digest());
        assertThat(text.digest()).as("a string is not the number it spells").isNotEqualTo(ten.digest());
        assertThat(nestedOther.digest()).isNotEqualTo(nested.digest());
    }

    @Test
    void arrayOrderIsSignificant() {
        CacheKey ab = CacheKey.of("s", "t", "shared", Json.parse("{\"ids\":[1,2]}"));
        CacheKey ba = CacheKey.of("s", "t", "shared", Json.parse("{\"ids\":[2,1]}"));

        assertThat(ba.digest()).isNotEqualTo(ab.digest());
    }

    @Test
    void noArgumentsAreTheEmptyObject() {
        assertThat(CacheKey.of("s", "t", "shared", null))
                .isEqualTo(CacheKey.of("s", "t", "shared", Json.parse("{ }")));
    }

    @Test
    void theSameArgumentsOnAnotherToolOrServerAreAnotherKey() {
        CacheKey query = CacheKey.of("postgres", "query", "shared", Json.parse(ARGS));
        CacheKey explain = CacheKey.of("postgres", "explain", "shared", Json.parse(ARGS));
        CacheKey otherServer = CacheKey.of("warehouse", "query", "shared", Json.parse(ARGS));

        assertThat(explain).isNotEqualTo(query);
        assertThat(otherServer).isNotEqualTo(query);
        assertThat(query.server()).isEqualTo("postgres");
        assertThat(query.tool()).isEqualTo("query");
    }

    @Test
    void serverToolAndDigestAreRequired() {
        assertThatNullPointerException().isThrownBy(() -> new CacheKey(null, "t", "d"));
        assertThatNullPointerException().isThrownBy(() -> new CacheKey("s", null, "d"));
        assertThatNullPointerException().isThrownBy(() -> new CacheKey("s", "t", null));
    }
}
