package dev.loupe.events;

import java.util.Arrays;

/**
 * Finds duplicate keys in the objects of one JSON value as a parser walks it, cheaper than the
 * parser's own detection (a hash set per object): the keys of the open objects are kept in one
 * array and a new key is compared with those of its object. It never decides that a value is
 * wrong: when it sees a duplicate, or an object with more than {@link #MAX_KEYS} keys (where the
 * comparisons would add up), it throws {@link Undecided} and the caller reads the value again with
 * the parser's detection, which then reports exactly what it always did.
 *
 * <p>Not thread-safe; reusable after {@link #reset()}.
 */
final class DuplicateCheck {

  /** Keys per object compared one by one; more and the check gives up. */
  static final int MAX_KEYS = 24;

  /** Thrown when the check cannot rule out a duplicate key; carries no stack trace. */
  static final class Undecided extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private Undecided() {
      super("duplicate key possible", null, false, false);
    }
  }

  static final Undecided UNDECIDED = new Undecided();

  private String[] keys = new String[64];
  private int keyCount;
  /** For each open object or array: where its keys start in {@link #keys}; -1 for an array. */
  private int[] starts = new int[16];
  private int depth;

  void reset() {
    keyCount = 0;
    depth = 0;
  }

  void enterObject() {
    push(keyCount);
  }

  void enterArray() {
    push(-1);
  }

  private void push(int start) {
    if (depth == starts.length) {
      starts = Arrays.copyOf(starts, depth * 2);
    }
    starts[depth++] = start;
  }

  void exit() {
    int start = starts[--depth];
    if (start >= 0) {
      keyCount = start;
    }
  }

  /** A key of the innermost open object. */
  void name(String key) {
    int start = starts[depth - 1];
    if (keyCount - start >= MAX_KEYS) {
      throw UNDECIDED;
    }
    for (int i = start; i < keyCount; i++) {
      if (keys[i].equals(key)) {
        throw UNDECIDED;
      }
    }
    if (keyCount == keys.length) {
      keys = Arrays.copyOf(keys, keyCount * 2);
    }
    keys[keyCount++] = key;
  }
}
