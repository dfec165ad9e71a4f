package dev.loupe.stats.bandit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Batched updates are a regrouping of immediate ones: after applying every batch, the same stats. */
class BatchedUpdatesPropertiesTest {

  @Property(tries = 200)
  void applyBatch_afterAnyBatching_statisticsEqualImmediateUpdates(
      @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 2) Integer> arms,
      @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 5) Integer> rewards,
      @ForAll @IntRange(min = 1, max = 50) int batchSize) {
    Bandit immediate = Bandit.create(Policy.ucb1(), 3, Updates.IMMEDIATE, new SplittableRandom(1));
    Bandit batched = Bandit.create(Policy.ucb1(), 3, Updates.BATCHED, new SplittableRandom(1));
    int n = Math.min(arms.size(), rewards.size());
    for (int i = 0; i < n; i++) {
      immediate.record(arms.get(i), rewards.get(i));
      batched.record(arms.get(i), rewards.get(i));
      if ((i + 1) % batchSize == 0) {
        batched.applyBatch();
      }
    }
    long pending = batched.summary().stream().mapToLong(ArmSummary::pendingPulls).sum();
    assertThat(pending).isEqualTo(n % batchSize);
    batched.applyBatch();
    assertThat(batched.summary()).isEqualTo(immediate.summary());
  }
}
