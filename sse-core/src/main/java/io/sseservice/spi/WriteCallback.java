package io.sseservice.spi;

/**
 * Completion of one {@link Transport#write}. Exactly one of the two methods is called once.
 *
 * <p>Thread-safety: may be called from any thread, also from inside {@code write} itself.
 */
public interface WriteCallback {

  /** All buffers were handed to the network. */
  void completed();

  /** The write failed; the connection is closed as gone. */
  void failed(Throwable cause);
}
