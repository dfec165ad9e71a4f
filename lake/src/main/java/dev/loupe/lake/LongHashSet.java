package dev.loupe.lake;

/**
 * A set of non-zero longs in one open-addressing array (linear probing, backward-shift deletion).
 * Memory is exactly {@code 8 × capacity} bytes; the load factor stays between 0.375 and 0.75
 * once grown, so it costs 10.7 to 21.3 bytes per element. Not thread-safe.
 */
final class LongHashSet {

  private static final int MIN_CAPACITY = 1 << 10;

  private long[] table = new long[MIN_CAPACITY];
  private int size;

  int size() {
    return size;
  }

  long memoryBytes() {
    return 8L * table.length;
  }

  boolean contains(long key) {
    long[] t = table;
    int mask = t.length - 1;
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      long v = t[i];
      if (v == key) {
        return true;
      }
      if (v == 0) {
        return false;
      }
    }
  }

  /** Adds the key; returns false if it was present. */
  boolean add(long key) {
    if (key == 0) {
      throw new IllegalArgumentException("key must not be 0");
    }
    if ((size + 1) * 4L > table.length * 3L) {
      grow();
    }
    long[] t = table;
    int mask = t.length - 1;
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      long v = t[i];
      if (v == key) {
        return false;
      }
      if (v == 0) {
        t[i] = key;
        size++;
        return true;
      }
    }
  }

  /** Removes the key; returns false if it was absent. */
  boolean remove(long key) {
    long[] t = table;
    int mask = t.length - 1;
    int i = slot(key, mask);
    while (true) {
      long v = t[i];
      if (v == 0) {
        return false;
      }
      if (v == key) {
        break;
      }
      i = (i + 1) & mask;
    }
    // Backward-shift: move later entries of the probe run into the hole.
    int hole = i;
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      long v = t[j];
      if (v == 0) {
        break;
      }
      int home = slot(v, mask);
      boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
      if (movable) {
        t[hole] = v;
        hole = j;
      }
    }
    t[hole] = 0;
    size--;
    return true;
  }

  private void grow() {
    long[] old = table;
    table = new long[old.length * 2];
    size = 0;
    for (long v : old) {
      if (v != 0) {
        add(v);
      }
    }
  }

  private static int slot(long key, int mask) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }
}
