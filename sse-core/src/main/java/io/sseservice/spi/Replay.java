package io.sseservice.spi;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@link EventHistory#replay} found: the frames a reconnecting connection missed, or a reset
 * when the history cannot tell (unknown id, older than what it still holds, more than the limit).
 *
 * <p>A replay may also say how far its group's log it accounts for ({@link #throughSeq()}): the
 * service then drops live events up to that position that reached the connection while the
 * replay was being read, so that a replay from a remote store neither loses nor repeats an event.
 * A history that answers at once, under the group's order (in memory), may leave it unknown.
 *
 * <p>Thread-safety: immutable (the frames are shared and must not be modified).
 */
public final class Replay {

  /** {@link #throughSeq()} of a replay that does not say how far it goes. */
  public static final long UNKNOWN_POSITION = -1;

  private final List<byte[]> frames;
  private final boolean reset;
  private final @Nullable String newestId;
  private final long throughSeq;

  private Replay(List<byte[]> frames, boolean reset, @Nullable String newestId, long throughSeq) {
    this.frames = frames;
    this.reset = reset;
    this.newestId = newestId;
    this.throughSeq = throughSeq;
  }

  /** Returns a replay of {@code frames}, oldest first (empty: nothing was missed). */
  public static Replay of(List<byte[]> frames) {
    return of(frames, UNKNOWN_POSITION);
  }

  /** Returns a replay of {@code frames} that covers the group's log up to {@code throughSeq}. */
  public static Replay of(List<byte[]> frames, long throughSeq) {
    return new Replay(List.copyOf(frames), false, null, throughSeq);
  }

  /** Returns a reset: the client must resync; {@code newestId} is the group's newest id, if any. */
  public static Replay reset(@Nullable String newestId) {
    return reset(newestId, UNKNOWN_POSITION);
  }

  /** Returns a reset at the group's position {@code throughSeq}. */
  public static Replay reset(@Nullable String newestId, long throughSeq) {
    return new Replay(List.of(), true, newestId, throughSeq);
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

  /** Returns the newest position of the group's log this replay accounts for, or {@link #UNKNOWN_POSITION}. */
  public long throughSeq() {
    return throughSeq;
  }

  @Override
  public String toString() {
    return reset
        ? "Replay.reset(" + newestId + ", through " + throughSeq + ")"
        : "Replay.of(" + frames.size() + " frames, through " + throughSeq + ")";
  }
}
