package io.sseservice.internal;

/**
 * What adapters need to know of a write's frames ({@code frames[0]} to {@code frames[count - 1]},
 * as {@link io.sseservice.spi.Transport#write} gives them). Thread-safety: stateless.
 */
public final class Frames {

  private Frames() {}

  /** The number of bytes in the first {@code count} frames. */
  public static int totalLength(byte[][] frames, int count) {
    int size = 0;
    for (int i = 0; i < count; i++) {
      size += frames[i].length;
    }
    return size;
  }
}
