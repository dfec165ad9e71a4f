package dev.loupe.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The fast parser agrees with the JDK's ISO_OFFSET_DATE_TIME, which is the reference. */
class IsoTimeTest {

  static Instant jdk(String s) {
    try {
      return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  static Instant ours(String s) {
    try {
      return IsoTime.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  @Property(tries = 3000)
  void parse_validTimesAgreeWithTheJdk(
      @ForAll @LongRange(min = -5_000_000_000L, max = 50_000_000_000L) long seconds,
      @ForAll @IntRange(min = 0, max = 999_999_999) int nanos,
      @ForAll @IntRange(min = -18 * 4, max = 18 * 4) int quarterHours,
      @ForAll @IntRange(min = 0, max = 4) int format) {
    ZoneOffset offset = ZoneOffset.ofTotalSeconds(quarterHours * 900);
    OffsetDateTime t = Instant.ofEpochSecond(seconds, nanos).atOffset(offset);
    String text = switch (format) {
      case 0 -> t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      case 1 -> t.withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      case 2 -> t.format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX"));
      case 3 -> t.format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSSxxx"));
      default -> t.format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mmXXX"));
    };
    assertThat(ours(text)).as(text).isEqualTo(jdk(text)).isNotNull();
  }

  @Property(tries = 3000)
  void parse_damagedTextsAgreeWithTheJdk(@ForAll("damaged") String text) {
    assertThat(ours(text)).as(text).isEqualTo(jdk(text));
  }

  @Provide
  Arbitrary<String> damaged() {
    String base = "2024-02-29T23:59:59.123456+05:30";
    Arbitrary<Integer> pos = Arbitraries.integers().between(0, base.length() - 1);
    Arbitrary<Character> ch = Arbitraries.of('0', '1', '2', '3', '9', '-', ':', 'T', 't', 'Z',
        'z', '+', '.', ' ', '5', '6');
    return net.jqwik.api.Combinators.combine(pos, ch, pos, ch, Arbitraries.integers().between(0, 3))
        .as((p1, c1, p2, c2, cut) -> {
          StringBuilder b = new StringBuilder(base);
          b.setCharAt(p1, c1);
          if (cut == 1) {
            b.setLength(p2);
          } else {
            b.setCharAt(p2, c2);
          }
          return b.toString();
        });
  }

  @Property(tries = 500)
  void parse_invalidCalendarDates(@ForAll @IntRange(min = 1, max = 12) int month,
      @ForAll @IntRange(min = 28, max = 32) int day, @ForAll @IntRange(min = 1999, max = 2101)
      int year) {
    String text = String.format("%04d-%02d-%02dT00:00:00Z", year, month, day);
    assertThat(ours(text)).as(text).isEqualTo(jdk(text));
  }
}
