package io.sseservice.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The frames of one replay as a history gathers them, oldest first, conflated as a connection's
 * queue would be: a frame with a conflation key takes the place of the earlier one with that key,
 * which leaves the replay, and goes at the end; frames without a key all stay. So a client that
 * missed many updates of a few keys gets the newest of each, in log order, and
 * {@link #size()} (what the replay limit is checked against) counts what it will get.
 *
 * <p>Thread-safety: not thread-safe; one per replay.
 */
public final class ReplayFrames {

  private final List<byte @Nullable []> frames = new ArrayList<>();
  private final Map<String, Integer> slotOfKey = new HashMap<>();
  private int size;

  /** Adds {@code frame}, which carries conflation key {@code key} (null: none). */
  public void add(byte[] frame, @Nullable String key) {
    if (key != null) {
      Integer earlier = slotOfKey.put(key, frames.size());
      if (earlier != null) {
        frames.set(earlier, null);
        size--;
      }
    }
    frames.add(frame);
    size++;
  }

  /** Returns how many frames the replay holds now. */
  public int size() {
    return size;
  }

  /** Returns the frames, oldest first. */
  public List<byte[]> frames() {
    List<byte[]> kept = new ArrayList<>(size);
    for (byte[] frame : frames) {
      if (frame != null) {
        kept.add(frame);
      }
    }
    return kept;
  }
}
