package dev.loupe.sql;

/**
 * What deduplication found (and, after {@code apply}, did).
 *
 * @param rowsIn rows in the input
 * @param rowsOut rows the deduplicated result has: one per non-NULL key, plus every row with a NULL
 *     key
 * @param duplicateKeys keys that occur more than once
 * @param maxCopies the most rows any one key has (0 for an empty input)
 * @param tiesAtLatest keys with more than one row at the winning version (including keys whose
 *     versions are all NULL); resolved by {@link Dedup}'s tie rule
 * @param nullVersions rows whose version is NULL
 * @param nullKeys rows whose key is NULL: kept as they are, since they identify nothing
 * @param removed rows deleted by {@code apply}; 0 for an analysis
 */
public record DedupReport(
    long rowsIn,
    long rowsOut,
    long duplicateKeys,
    long maxCopies,
    long tiesAtLatest,
    long nullVersions,
    long nullKeys,
    long removed) {

  DedupReport withRemoved(long n) {
    return new DedupReport(rowsIn, rowsOut, duplicateKeys, maxCopies, tiesAtLatest, nullVersions, nullKeys, n);
  }
}
