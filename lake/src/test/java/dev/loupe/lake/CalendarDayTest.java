package dev.loupe.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class CalendarDayTest {

  @Test
  void parse_readsFourDigitYearDays() {
    assertThat(CalendarDay.parse("2026-11-26")).isEqualTo(LocalDate.of(2026, 11, 26));
    assertThat(CalendarDay.parse(" 2024-02-29 ")).isEqualTo(LocalDate.of(2024, 2, 29));
  }

  @Test
  void parse_refusesOtherFormsAndImpossibleDays() {
    assertThatThrownBy(() -> CalendarDay.parse("26-11-2026"))
        .hasMessage("must be a date YYYY-MM-DD but was '26-11-2026'");
    assertThatThrownBy(() -> CalendarDay.parse("+10000-01-01"))
        .hasMessage("must be a date YYYY-MM-DD but was '+10000-01-01'");
    assertThatThrownBy(() -> CalendarDay.parse("-999999999-01-01"))
        .hasMessage("must be a date YYYY-MM-DD but was '-999999999-01-01'");
    assertThatThrownBy(() -> CalendarDay.parse("2026-02-30"))
        .hasMessage("must be a date YYYY-MM-DD but was '2026-02-30' (Invalid date 'FEBRUARY 30')");
    assertThatThrownBy(() -> CalendarDay.parse("2026-13-01"))
        .hasMessageStartingWith("must be a date YYYY-MM-DD but was '2026-13-01' (");
    assertThatThrownBy(() -> CalendarDay.parse(null)).hasMessage("must be a date YYYY-MM-DD but was 'null'");
    assertThatThrownBy(() -> CalendarDay.parse("")).hasMessage("must be a date YYYY-MM-DD but was ''");
  }
}
