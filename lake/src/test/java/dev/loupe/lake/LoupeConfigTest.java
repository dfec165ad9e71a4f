package dev.loupe.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoupeConfigTest {

  final LoupeConfig d = LoupeConfig.withDefaults();

  @Test
  void withDefaults_asDocumented() {
    assertThat(d.port()).isEqualTo(8080);
    assertThat(d.dataDir()).isEqualTo(Path.of("loupe-data").toAbsolutePath());
    assertThat(d.dedupWindow()).isEqualTo(Duration.ofDays(7));
    assertThat(d.retention()).isEqualTo(Duration.ofDays(730));
    assertThat(d.flushInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(d.writeKey()).isEqualTo("loupe-dev-write-key");
    assertThat(d.readKey()).isEqualTo("loupe-dev-read-key");
  }

  @Test
  void with_invalidValuesNameTheSettingValueAndRule() {
    assertThatThrownBy(() -> d.withPort(70_000))
        .hasMessage("port must be in 0..65535 but was 70000");
    assertThatThrownBy(() -> d.withKeys("short", "loupe-dev-read-key"))
        .hasMessage("writeKey must be 8 to 256 printable ASCII characters without spaces but"
            + " was 'short'");
    assertThatThrownBy(() -> d.withDedup(Duration.ofDays(800), 1_000))
        .hasMessage("dedupWindow must be between 1 minute and the retention (PT17520H) but was"
            + " PT19200H");
    assertThatThrownBy(() -> d.withFlushInterval(Duration.ofMinutes(2)))
        .hasMessage("flushInterval must be between 100 ms and 1 minute but was PT2M");
    assertThatThrownBy(() -> d.withRetention(Duration.ofHours(1)))
        .hasMessage("retention must be at least 1 day but was PT1H");
    assertThatThrownBy(() -> d.withLimits(1_000_000, 10))
        .hasMessage("maxUnflushedBytes must be at least maxBodyBytes (1000000) but was 10");
    assertThatThrownBy(() -> d.withCompaction(1, 10))
        .hasMessage("compactionMinFiles must be at least 2 but was 1");
  }

  @Test
  void settings_areAllDocumented() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "ingestion.md"));
    assertThat(LoupeConfig.settings()).hasSize(LoupeConfig.class.getRecordComponents().length);
    for (LoupeConfig.Setting s : LoupeConfig.settings()) {
      assertThat(doc).as("docs/ingestion.md documents %s", s.name()).contains("`" + s.name() + "`");
    }
  }
}
