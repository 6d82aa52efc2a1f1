package io.sseservice.spi;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@link EventHistory#replay} found: the frames a reconnecting connection missed, or a reset
 * when the history cannot tell (unknown id, or older than what it still holds).
 *
 * <p>Thread-safety: immutable (the frames are shared and must not be modified).
 */
public final class Replay {

  private final List<byte[]> frames;
  private final boolean reset;
  private final @Nullable String newestId;

  private Replay(List<byte[]> frames, boolean reset, @Nullable String newestId) {
    this.frames = frames;
    this.reset = reset;
    this.newestId = newestId;
  }

  /** Returns a replay of {@code frames}, oldest first (empty: nothing was missed). */
  public static Replay of(List<byte[]> frames) {
    return new Replay(List.copyOf(frames), false, null);
  }

  /** Returns a reset: the client must resync; {@code newestId} is the group's newest id, if any. */
  public static Replay reset(@Nullable String newestId) {
    return new Replay(List.of(), true, newestId);
  }

  /** Returns the missed frames, oldest first; empty for a reset. */
  public List<byte[]> frames() {
    return frames;
  }

  /** Returns whether the history could not tell what was missed. */
  public boolean isReset() {
    return reset;
  }

  /** Returns the newest id of the group at the time of a reset, if the group had any event. */
  public Optional<String> newestId() {
    return Optional.ofNullable(newestId);
  }
}
