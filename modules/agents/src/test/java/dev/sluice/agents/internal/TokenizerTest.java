package dev.sluice.agents.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenizerTest {

    @Test
    void countsWithTheModelsEncoding() {
        // "hello world" is two tokens in both encodings; a GPT-4o model takes o200k_base
        assertThat(Tokenizer.count("openai:gpt-4o-mini", "hello world")).isEqualTo(2);
        assertThat(Tokenizer.encodingFor("openai:gpt-4o-mini").getName()).isEqualTo("o200k_base");
        assertThat(Tokenizer.encodingFor("anthropic:claude-3-5-haiku").getName()).isEqualTo("cl100k_base");
        assertThat(Tokenizer.count("openai:gpt-4o", "")).isZero();
        assertThat(Tokenizer.count("openai:gpt-4o", "select count(*) from orders where amount > 100"))
                .isBetween(8, 14);
    }

    @Test
    void budgetEntriesAreKeyEqualsTokensAndKeysMayHoldColons() {
        assertThat(JpaTokenLedger.parse(Optional.of(List.of("openai:gpt-4o=2000000", "anthropic:claude-x = 5"))))
                .containsEntry("openai:gpt-4o", 2_000_000L).containsEntry("anthropic:claude-x", 5L);
        assertThatThrownBy(() -> JpaTokenLedger.parse(Optional.of(List.of("openai:gpt-4o"))))
                .hasMessageContaining("key=tokens");
    }
}
