package io.sseservice.spi;

import static java.util.Objects.requireNonNull;

/**
 * What {@link EventHistory#append} recorded: the event's position in its group's log and the
 * bytes to deliver.
 *
 * <p>Thread-safety: immutable (the frame is shared and must not be modified).
 *
 * @param seq the event's position in the group's log: one more than the previous append's
 * @param frame the encoded event, with its final id; delivered to every receiver as it is
 */
public record Recorded(long seq, byte[] frame) {

  /** Checks the frame. */
  public Recorded {
    requireNonNull(frame, "frame");
  }
}
