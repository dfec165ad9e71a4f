package dev.loupe.stats.regression;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class CrossProductsPropertiesTest {

  /** With integer-valued data every sum is exact, so combine must equal one pass bit for bit. */
  @Property(tries = 200)
  void combine_equalsOnePass(
      @ForAll @Size(max = 40) List<@IntRange(min = -1000, max = 1000) Integer> values,
      @ForAll @IntRange(min = 0, max = 40) int cut) {
    CrossProducts one = CrossProducts.create(3);
    CrossProducts left = CrossProducts.create(3);
    CrossProducts right = CrossProducts.create(3);
    for (int i = 0; i < values.size(); i++) {
      int v = values.get(i);
      double[] x = {1, v, i % 3};
      double y = 2.0 * v - i;
      one.accept(x, y);
      (i < cut ? left : right).accept(x, y);
    }
    assertThat(left.combine(right)).isEqualTo(one);
    assertThat(CrossProducts.create(3).combine(one)).isEqualTo(one);
  }
}
