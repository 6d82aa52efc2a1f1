package io.sseservice;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * An {@link Outbox}'s queue of frames not yet taken for a write, oldest first, with what
 * conflation needs: each frame's conflation key, a {@link KeyIndex} from key to slot, and the
 * removal of one keyed frame from the middle. A removed frame leaves a hole in the ring (nothing
 * moves, so every other slot in the index stays right); polls skip holes, and when the ring is
 * full and at least half of it is holes, it is compacted in place instead of grown. While the
 * outbox is gated, each frame's group position is kept beside it.
 *
 * <p>Allocation: the ring grows like an {@code ArrayDeque} and never shrinks; the key ring and
 * the index are made at the first keyed frame, the positions for a gate. So a connection in a
 * steady state allocates nothing per frame, keyed or not, replaced or not.
 *
 * <p>Invariant: at most one queued frame per key (the outbox removes the old one before it adds
 * the new), so the index maps each key to the only slot that holds it.
 *
 * <p>Thread-safety: not thread-safe; guarded by its outbox's lock.
 */
final class FrameQueue {

  private byte[][] frames = new byte[4][]; // null slots within the used range are holes
  private String @Nullable [] keys; // made with the first keyed frame
  private long @Nullable [] seqs; // only while gated
  private @Nullable KeyIndex index;

  /** The oldest used slot. */
  private int head;

  /** Used slots from {@code head}: frames and holes. */
  private int used;

  /** Frames: used slots less holes. */
  private int size;

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  /**
   * Appends {@code frame}, which carries {@code key} (null: none; a key must not be queued
   * already) and, while positions are kept, group position {@code seq}.
   */
  void add(byte[] frame, @Nullable String key, long seq) {
    if (used == frames.length) {
      makeRoom();
    }
    int at = (head + used) & (frames.length - 1);
    frames[at] = frame;
    if (key != null) {
      keyRing()[at] = key;
      keyIndex().put(key, at);
    }
    if (seqs != null) {
      seqs[at] = seq;
    }
    used++;
    size++;
  }

  /** Removes the frame with {@code key}, if one is queued, and returns it. */
  byte @Nullable [] remove(String key) {
    KeyIndex idx = index;
    int at = idx == null || idx.size() == 0 ? -1 : idx.remove(key);
    return at < 0 ? null : removeAt(at);
  }

  /**
   * How many of the oldest frames join a write batch that has {@code count} frames of {@code
   * bytes} already (see {@link Outbox#batchFull}). Skips holes; reads only.
   */
  int fitting(int count, long bytes) {
    int mask = frames.length - 1;
    for (int i = 0, seen = 0; seen < size; i++) {
      byte[] frame = frames[(head + i) & mask];
      if (frame == null) {
        continue; // a hole
      }
      if (Outbox.batchFull(count, bytes, frame.length)) {
        break;
      }
      bytes += frame.length;
      count++;
      seen++;
    }
    return count;
  }

  /** Removes and returns the oldest frame. @throws java.util.NoSuchElementException if empty */
  byte[] poll() {
    if (size == 0) {
      throw new java.util.NoSuchElementException("no frame queued");
    }
    int mask = frames.length - 1;
    while (frames[head] == null) {
      head = (head + 1) & mask; // a hole
      used--;
    }
    byte[] frame = frames[head];
    @Nullable String key = keys == null ? null : keys[head];
    if (key != null) {
      keyIndex().remove(key);
    }
    clear(head);
    head = (head + 1) & mask;
    used--;
    if (--size == 0) {
      used = 0; // nothing but holes behind it
    }
    return frame;
  }

  /** Keeps each frame's group position from now on; frames queued before have none (-1). */
  void keepPositions() {
    long[] s = new long[frames.length];
    Arrays.fill(s, -1L);
    seqs = s;
  }

  /**
   * Stops keeping positions, first removing the frames at positions 0 to {@code through};
   * returns their bytes.
   */
  long dropPositionsThrough(long through) {
    long[] s = seqs;
    long freed = 0;
    if (s != null) {
      int mask = frames.length - 1;
      for (int i = 0; i < used && size > 0; i++) {
        int at = (head + i) & mask;
        if (frames[at] != null && s[at] >= 0 && s[at] <= through) {
          @Nullable String key = keys == null ? null : keys[at];
          if (key != null) {
            keyIndex().remove(key);
          }
          freed += removeAt(at).length;
        }
      }
    }
    seqs = null;
    return freed;
  }

  /** Drops everything, positions and index included. */
  void clearAll() {
    Arrays.fill(frames, null);
    keys = null;
    seqs = null;
    index = null;
    head = 0;
    used = 0;
    size = 0;
  }

  /** Turns slot {@code at} (already out of the index) into a hole; returns its frame. */
  private byte[] removeAt(int at) {
    byte[] frame = frames[at];
    clear(at);
    if (--size == 0) {
      used = 0;
    }
    return frame;
  }

  private void clear(int at) {
    frames[at] = null;
    if (keys != null) {
      keys[at] = null;
    }
  }

  /**
   * The ring is full: compacts it in place when at least half of it is holes (so each compaction
   * follows as many replacements as it moves frames), or doubles it. Either way the frames keep
   * their order, and the index is rebuilt from the new slots.
   */
  private void makeRoom() {
    int oldLength = frames.length;
    boolean grow = size > oldLength / 2;
    int length = grow ? oldLength * 2 : oldLength;
    byte[][] fromFrames = frames;
    String[] fromKeys = keys;
    long[] fromSeqs = seqs;
    byte[][] toFrames = grow ? new byte[length][] : fromFrames;
    String[] toKeys = fromKeys == null || !grow ? fromKeys : new String[length];
    long[] toSeqs = fromSeqs == null || !grow ? fromSeqs : new long[length];
    int toHead = grow ? 0 : head;
    int w = 0;
    for (int i = 0; i < used; i++) {
      int from = (head + i) & (oldLength - 1);
      byte[] frame = fromFrames[from];
      if (frame == null) {
        continue; // a hole
      }
      int to = (toHead + w++) & (length - 1);
      if (grow || to != from) {
        // in place, slot "to" is a hole or a frame already moved: it is behind slot "from"
        toFrames[to] = frame;
        if (toKeys != null && fromKeys != null) {
          toKeys[to] = fromKeys[from];
        }
        if (toSeqs != null && fromSeqs != null) {
          toSeqs[to] = fromSeqs[from];
        }
        if (!grow) {
          clear(from);
        }
      }
    }
    frames = toFrames;
    keys = toKeys;
    seqs = toSeqs;
    head = toHead;
    used = size;
    reindex();
  }

  private void reindex() {
    KeyIndex idx = index;
    if (idx == null || keys == null) {
      return;
    }
    idx.clear();
    int mask = frames.length - 1;
    for (int i = 0; i < used; i++) {
      int at = (head + i) & mask;
      String key = keys[at];
      if (key != null) {
        idx.put(key, at);
      }
    }
  }

  private String[] keyRing() {
    if (keys == null) {
      keys = new String[frames.length];
    }
    return keys;
  }

  private KeyIndex keyIndex() {
    if (index == null) {
      index = new KeyIndex();
    }
    return index;
  }
}
