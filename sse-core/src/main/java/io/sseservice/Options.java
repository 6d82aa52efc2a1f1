package io.sseservice;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Checks of option values, shared by the builders so that every option is refused alike, at once,
 * with a message naming it. Thread-safety: stateless.
 */
final class Options {

  /**
   * The longest duration any option takes. Far beyond any sensible timeout, and far inside what
   * nanosecond arithmetic and the {@code retry:} field can hold, so no option can overflow later.
   */
  static final Duration MAX_DURATION = Duration.ofDays(365);

  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private Options() {}

  /** Returns {@code d}, a duration between zero and {@link #MAX_DURATION}. */
  static Duration duration(Duration d, String name) {
    requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + ": " + d + " (expected: >= 0)");
    }
    if (d.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(name + ": " + d + " (expected: at most 365 days)");
    }
    return d;
  }

  /** Returns {@code d}, a duration above zero and at most {@link #MAX_DURATION}. */
  static Duration positiveDuration(Duration d, String name) {
    duration(d, name);
    if (d.isZero()) {
      throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
    }
    return d;
  }

  /** Returns {@code value} if it is above zero. */
  static long positive(long value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
    return value;
  }

  /** Returns {@code value} if it is a non-empty name. */
  static String name(String value, String name) {
    requireNonNull(value, name);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(name + ": \"\" (expected: a non-empty name)");
    }
    return value;
  }

  /** Returns {@code nodeId} if it is 1 to 64 letters, digits, '-' or '_'. */
  static String nodeId(String nodeId) {
    requireNonNull(nodeId, "nodeId");
    if (!NODE_ID.matcher(nodeId).matches()) {
      throw new IllegalArgumentException(
          "nodeId: \""
              + nodeId
              + "\" (expected: 1 to 64 letters, digits, '-' or '_'; it is part of connection ids)");
    }
    return nodeId;
  }
}
