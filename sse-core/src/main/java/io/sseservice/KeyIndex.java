package io.sseservice;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Conflation keys of one {@link FrameQueue} to the ring slot of the frame that carries each: an
 * open-addressing table with linear probing, so that a lookup, an insertion or a removal costs a
 * few array reads and allocates nothing (a {@code HashMap<String, Integer>} would allocate a node
 * or a boxed slot per event). It grows when half full and never shrinks: a connection settles on
 * one table for the keys it has queued at once. Removal shifts the following entries back
 * instead of leaving tombstones, so the table never fills with dead entries.
 *
 * <p>Thread-safety: not thread-safe; guarded by its outbox's lock.
 */
final class KeyIndex {

  private @Nullable String[] keys;
  private int[] slots;
  private int size;

  KeyIndex() {
    keys = new String[8];
    slots = new int[8];
  }

  /** Returns the slot of {@code key}, or -1. */
  int get(String key) {
    int i = find(key);
    return i < 0 ? -1 : slots[i];
  }

  /** Maps {@code key} (not in the table) to {@code slot}. */
  void put(String key, int slot) {
    if (2 * (size + 1) > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    int i = home(key, mask);
    while (keys[i] != null) {
      i = (i + 1) & mask;
    }
    keys[i] = key;
    slots[i] = slot;
    size++;
  }

  /** Removes {@code key}; returns its slot, or -1 if it was not there. */
  int remove(String key) {
    int i = find(key);
    if (i < 0) {
      return -1;
    }
    int slot = slots[i];
    int mask = keys.length - 1;
    keys[i] = null;
    size--;
    // backward shift: an entry further on whose home is not between the hole and itself would be
    // unreachable past the hole, so it moves into the hole, which moves on
    for (int j = (i + 1) & mask; keys[j] != null; j = (j + 1) & mask) {
      int home = home(keys[j], mask);
      boolean stays = i <= j ? i < home && home <= j : i < home || home <= j;
      if (!stays) {
        keys[i] = keys[j];
        slots[i] = slots[j];
        keys[j] = null;
        i = j;
      }
    }
    return slot;
  }

  int size() {
    return size;
  }

  void clear() {
    Arrays.fill(keys, null);
    size = 0;
  }

  private int find(String key) {
    int mask = keys.length - 1;
    for (int i = home(key, mask); ; i = (i + 1) & mask) {
      String k = keys[i];
      if (k == null) {
        return -1;
      }
      if (k == key || k.equals(key)) {
        return i;
      }
    }
  }

  private void grow() {
    @Nullable String[] oldKeys = keys;
    int[] oldSlots = slots;
    keys = new String[oldKeys.length * 2];
    slots = new int[oldKeys.length * 2];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      String k = oldKeys[i];
      if (k != null) {
        put(k, oldSlots[i]);
      }
    }
  }

  private static int home(String key, int mask) {
    int h = key.hashCode(); // cached by String after its first call
    return (h ^ (h >>> 16)) & mask;
  }
}
