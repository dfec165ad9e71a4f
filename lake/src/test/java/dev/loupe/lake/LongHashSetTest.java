package dev.loupe.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class LongHashSetTest {

  /** Adds and removes behave like java.util.HashSet, including across growth and collisions. */
  @Property(tries = 200)
  void addRemove_matchHashSet(
      @ForAll @Size(max = 3000) List<@LongRange(min = 1, max = 2000) Long> ops,
      @ForAll @Size(max = 3000) List<Boolean> removes) {
    LongHashSet set = new LongHashSet();
    Set<Long> ref = new HashSet<>();
    for (int i = 0; i < ops.size(); i++) {
      long k = ops.get(i);
      boolean remove = i < removes.size() && removes.get(i);
      if (remove) {
        assertThat(set.remove(k)).isEqualTo(ref.remove(k));
      } else {
        assertThat(set.add(k)).isEqualTo(ref.add(k));
      }
      assertThat(set.size()).isEqualTo(ref.size());
    }
    for (long k = 1; k <= 2000; k++) {
      assertThat(set.contains(k)).as("contains %d", k).isEqualTo(ref.contains(k));
    }
  }
}
