package dev.loupe.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SwitchbackTest {

  @Test
  void schedule_exactShareAndWashoutAfterSwitches() {
    Switchback s = Switchback.of(List.of("north", "south"), 24, 60, 15, 0.5, 3);
    assertThat(s.schedule()).hasSize(48);
    for (String region : List.of("north", "south")) {
      List<Switchback.Slot> r = s.schedule().stream().filter(x -> x.region().equals(region)).toList();
      assertThat(r.stream().filter(Switchback.Slot::treated).count()).isEqualTo(12);
      for (int i = 1; i < r.size(); i++) {
        boolean switched = r.get(i).treated() != r.get(i - 1).treated();
        assertThat(r.get(i).analysisStartMinute()).isEqualTo(r.get(i).startMinute() + (switched ? 15 : 0));
      }
    }
    Switchback.Report rep = s.report();
    assertThat(rep.switches()).isPositive();
    assertThat(rep.washoutShare()).isEqualTo(rep.switches() * 15.0 / (48 * 60));
    assertThat(Switchback.of(List.of("north", "south"), 24, 60, 15, 0.5, 3).schedule()).isEqualTo(s.schedule());
  }

  @Test
  void of_washoutAsLongAsSlot_rejected() {
    assertThatThrownBy(() -> Switchback.of(List.of("a"), 10, 30, 30, 0.5, 1))
        .hasMessage("washout minutes must be in [0, 30) (shorter than a slot) but was 30");
  }
}
