package dev.loupe.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A switchback design: regions by time slots. In each region, exactly {@code round(q·slots)} of the
 * slots, chosen uniformly and independently across regions, are treated (every user of the region
 * gets the treatment during them). When a slot's arm differs from the previous slot's, its first
 * {@code washout} minutes are a buffer against carryover and are left out of the analysis. Immutable.
 *
 * <p>Reference: Bojinov, Simchi-Levi &amp; Zhao, "Design and Analysis of Switchback Experiments",
 * Management Science 2023.
 */
public final class Switchback {

  /**
   * One region in one slot.
   *
   * @param analysisStartMinute first minute counted in the analysis (after the washout)
   */
  public record Slot(String region, int slot, int startMinute, int endMinute, boolean treated, int analysisStartMinute) {}

  /**
   * @param regions regions randomized
   * @param slots slots per region
   * @param treatedSlots treated slots per region
   * @param switches slot boundaries where the arm changes
   * @param washoutShare share of region-minutes lost to washout buffers
   */
  public record Report(int regions, int slots, int treatedSlots, int switches, double washoutShare, List<String> warnings) {
    public Report {
      warnings = List.copyOf(warnings);
    }
  }

  private final List<String> regions;
  private final int slots;
  private final int slotMinutes;
  private final int washoutMinutes;
  private final List<Slot> schedule;
  private final int treatedSlots;

  private Switchback(List<String> regions, int slots, int slotMinutes, int washoutMinutes, double treatShare, long seed) {
    this.regions = List.copyOf(regions);
    this.slots = slots;
    this.slotMinutes = slotMinutes;
    this.washoutMinutes = washoutMinutes;
    this.treatedSlots = (int) Math.round(treatShare * slots);
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Slot> out = new ArrayList<>();
    for (String region : regions) {
      boolean[] t = new boolean[slots];
      for (int j = 0; j < treatedSlots; j++) {
        t[j] = true;
      }
      for (int i = slots - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        boolean x = t[i];
        t[i] = t[j];
        t[j] = x;
      }
      for (int s = 0; s < slots; s++) {
        int start = s * slotMinutes;
        boolean switched = s > 0 && t[s] != t[s - 1];
        out.add(new Slot(region, s, start, start + slotMinutes, t[s], switched ? start + washoutMinutes : start));
      }
    }
    this.schedule = List.copyOf(out);
  }

  /**
   * @throws IllegalArgumentException with fewer than 1 region or 2 slots, a non-positive slot
   *     length, a washout not shorter than a slot, or a share leaving an arm without slots
   */
  public static Switchback of(List<String> regions, int slots, int slotMinutes, int washoutMinutes, double treatShare, long seed) {
    if (regions.isEmpty()) {
      throw new IllegalArgumentException("switchback needs at least 1 region but had 0");
    }
    if (slots < 2) {
      throw new IllegalArgumentException("slots must be >= 2 but was " + slots);
    }
    if (slotMinutes < 1) {
      throw new IllegalArgumentException("slot minutes must be >= 1 but was " + slotMinutes);
    }
    if (washoutMinutes < 0 || washoutMinutes >= slotMinutes) {
      throw new IllegalArgumentException("washout minutes must be in [0, " + slotMinutes + ") (shorter than a slot) but was " + washoutMinutes);
    }
    if (!(treatShare > 0 && treatShare < 1)) {
      throw new IllegalArgumentException("treat share must be in (0, 1) but was " + treatShare);
    }
    long t = Math.round(treatShare * slots);
    if (t == 0 || t == slots) {
      throw new IllegalArgumentException("treat share " + treatShare + " leaves an arm without slots among " + slots);
    }
    return new Switchback(regions, slots, slotMinutes, washoutMinutes, treatShare, seed);
  }

  public List<Slot> schedule() {
    return schedule;
  }

  public Report report() {
    int switches = 0;
    long lost = 0;
    for (Slot s : schedule) {
      if (s.analysisStartMinute() > s.startMinute()) {
        switches++;
        lost += s.analysisStartMinute() - s.startMinute();
      }
    }
    List<String> warnings = new ArrayList<>();
    if (regions.size() * slots < DesignReport.MIN_CLUSTERS) {
      warnings.add("only " + regions.size() * slots + " region-slots: fewer than " + DesignReport.MIN_CLUSTERS + " randomization units give little power");
    }
    if (washoutMinutes == 0) {
      warnings.add("no washout: effects that carry over from one slot to the next bias the estimate toward zero");
    }
    return new Report(regions.size(), slots, treatedSlots, switches, lost / (double) (regions.size() * (long) slots * slotMinutes), warnings);
  }
}
