package io.sseservice;

/**
 * The root of the exceptions that sse-service throws for failures of its own (a message that the
 * codec could not encode, for example). Bad arguments are {@link IllegalArgumentException}s and
 * calls in the wrong state {@link IllegalStateException}s, as usual in Java.
 *
 * <p>Thread-safety: immutable once thrown.
 */
public class SseException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message and the underlying cause. */
  public SseException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Creates an exception with a message. */
  public SseException(String message) {
    super(message);
  }
}
