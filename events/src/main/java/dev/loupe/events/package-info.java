/**
 * The event value and its rules, without I/O: {@link dev.loupe.events.Event},
 * {@link dev.loupe.events.EventValidator} (schema and limits, with messages naming the field, the
 * value and the rule), {@link dev.loupe.events.EventCodec} (JSON array, NDJSON, gzip bodies).
 *
 * <p>Both runtimes use these classes unchanged: the embedded collector ({@code lake}) and, later,
 * the distributed one. Everything here is immutable or stateless and thread-safe.
 */
package dev.loupe.events;
