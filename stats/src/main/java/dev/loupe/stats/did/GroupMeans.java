package dev.loupe.stats.did;

/**
 * The four means of a 2×2 design and their counts. {@link #did()} = (treatedAfter −
 * treatedBefore) − (controlAfter − controlBefore).
 */
public record GroupMeans(
    double treatedBefore,
    double treatedAfter,
    double controlBefore,
    double controlAfter,
    long nTreatedBefore,
    long nTreatedAfter,
    long nControlBefore,
    long nControlAfter) {

  /** The difference-in-differences of the four means. */
  public double did() {
    return (treatedAfter - treatedBefore) - (controlAfter - controlBefore);
  }
}
