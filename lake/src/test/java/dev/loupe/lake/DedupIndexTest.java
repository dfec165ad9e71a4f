package dev.loupe.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DedupIndexTest {

  static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");

  @Test
  void addIfAbsent_secondTimeIsDuplicate() {
    DedupIndex idx = DedupIndex.create(Duration.ofDays(7), 1000);
    long fp = DedupIndex.fingerprint("e1");
    assertThat(idx.addIfAbsent(fp, T0)).isTrue();
    assertThat(idx.addIfAbsent(fp, T0.plusSeconds(10))).isFalse();
    assertThat(idx.addIfAbsent(DedupIndex.fingerprint("e2"), T0)).isTrue();
    assertThat(idx.size()).isEqualTo(2);
  }

  @Test
  void expire_keepsIdsForTheWholeWindowAndAtMostOneSlotMore() {
    DedupIndex idx = DedupIndex.create(Duration.ofDays(7), 1000);
    long fp = DedupIndex.fingerprint("e1");
    idx.addIfAbsent(fp, T0.plusSeconds(3600));
    idx.expire(T0.plus(Duration.ofDays(7)).plusSeconds(3600)); // exactly the window: kept
    assertThat(idx.contains(fp)).isTrue();
    idx.expire(T0.plus(Duration.ofDays(7)).plus(Duration.ofHours(23)));
    assertThat(idx.contains(fp)).isTrue();
    idx.expire(T0.plus(Duration.ofDays(8))); // the whole slot (day) is past the window
    assertThat(idx.contains(fp)).isFalse();
    assertThat(idx.size()).isZero();
  }

  @Test
  void put_overMaxIdsForgetsTheOldestSlotFirst() {
    DedupIndex idx = DedupIndex.create(Duration.ofDays(7), 1000);
    for (int i = 0; i < 1000; i++) {
      idx.addIfAbsent(DedupIndex.fingerprint("old" + i), T0);
    }
    idx.addIfAbsent(DedupIndex.fingerprint("new"), T0.plus(Duration.ofDays(1)));
    assertThat(idx.size()).isEqualTo(1);
    assertThat(idx.evictedEarly()).isEqualTo(1000);
    assertThat(idx.contains(DedupIndex.fingerprint("old1"))).isFalse();
    assertThat(idx.effectiveWindow(T0.plus(Duration.ofDays(1)).plusSeconds(60)))
        .isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void remove_undoesAnAdd() {
    DedupIndex idx = DedupIndex.create(Duration.ofDays(7), 1000);
    long fp = DedupIndex.fingerprint("e1");
    idx.addIfAbsent(fp, T0);
    idx.remove(fp, T0);
    assertThat(idx.contains(fp)).isFalse();
    assertThat(idx.size()).isZero();
  }

  /** The documented cost: 10.7 to 21.3 MB per million ids, measured on the real tables. */
  @Test
  void memoryBytes_perMillionIdsAsDocumented() {
    DedupIndex idx = DedupIndex.create(Duration.ofDays(7), 10_000_000);
    for (int i = 0; i < 1_000_000; i++) {
      idx.addIfAbsent(DedupIndex.fingerprint("id-" + i), T0.plusSeconds(i % 86_400));
    }
    assertThat(idx.size()).isEqualTo(1_000_000);
    assertThat(idx.memoryBytes()).isBetween(10_700_000L, 21_300_000L);
  }

  @Test
  void create_badArguments() {
    assertThatThrownBy(() -> DedupIndex.create(Duration.ofDays(1), 0))
        .hasMessage("maxIds must be >= 1 but was 0");
  }
}
