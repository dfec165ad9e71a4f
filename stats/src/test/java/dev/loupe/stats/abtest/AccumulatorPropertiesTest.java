package dev.loupe.stats.abtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class AccumulatorPropertiesTest {

  @Property(tries = 200)
  void combine_equalsOnePass(
      @ForAll @Size(max = 60) List<@DoubleRange(min = -1e3, max = 1e3) Double> ys,
      @ForAll @IntRange(min = 0, max = 60) int cut) {
    int k = Math.min(cut, ys.size());
    Moments one = Moments.create();
    Moments left = Moments.create();
    Moments right = Moments.create();
    for (int i = 0; i < ys.size(); i++) {
      double y = ys.get(i);
      double x = 0.5 * y + i;
      one.accept(y, x);
      (i < k ? left : right).accept(y, x);
    }
    Moments merged = left.combine(right);
    assertThat(merged.count()).isEqualTo(one.count());
    if (one.count() == 0) {
      assertThat(merged.mean()).isNaN();
      return;
    }
    assertThat(merged.mean()).isCloseTo(one.mean(), within(1e-9));
    assertThat(merged.covariateMean()).isCloseTo(one.covariateMean(), within(1e-9));
    if (one.count() > 1) {
      double scale = 1 + Math.abs(one.variance());
      assertThat(merged.variance()).isCloseTo(one.variance(), within(1e-9 * scale));
      assertThat(merged.covariance()).isCloseTo(one.covariance(), within(1e-8 * (scale + 1e3)));
    }
  }

  @Property(tries = 100)
  void binomialCombine_equalsOnePass(@ForAll List<Boolean> flags, @ForAll @IntRange(max = 50) int cut) {
    BinomialCounts one = BinomialCounts.create();
    BinomialCounts a = BinomialCounts.create();
    BinomialCounts b = BinomialCounts.create();
    for (int i = 0; i < flags.size(); i++) {
      one.accept(flags.get(i));
      (i < cut ? a : b).accept(flags.get(i));
    }
    assertThat(a.combine(b)).isEqualTo(one);
  }
}
