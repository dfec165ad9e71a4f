package dev.loupe.lake.live;

import java.time.Instant;
import java.util.Map;

/**
 * Ingestion in one UTC minute of receipt.
 *
 * @param accepted events accepted (durably acknowledged, not duplicates)
 * @param rejected events rejected by validation
 * @param rejectedByReason rejected events per reason
 * @param lagSumMillis sum over accepted events of {@code received_at - event_time} in
 *     milliseconds (negative lags, from clocks ahead of the server, count as 0)
 * @param lagMaxMillis the largest such lag
 */
public record IngestMinute(
    Instant minute,
    long accepted,
    long rejected,
    Map<String, Long> rejectedByReason,
    long lagSumMillis,
    long lagMaxMillis) {

  /** rejected / (accepted + rejected); 0 when nothing arrived. */
  public double rejectionRate() {
    long n = accepted + rejected;
    return n == 0 ? 0 : (double) rejected / n;
  }

  /** Mean lag in milliseconds; 0 when nothing was accepted. */
  public double meanLagMillis() {
    return accepted == 0 ? 0 : (double) lagSumMillis / accepted;
  }
}
