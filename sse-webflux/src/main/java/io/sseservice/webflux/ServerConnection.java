package io.sseservice.webflux;

import java.time.Duration;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The server's own connection under one response (on HTTP/2: the stream), for what Spring's
 * reactive API cannot do: see that the peer stopped reading, and close the connection.
 * Thread-safety: implementations are thread-safe.
 *
 * <p>Servers that expose neither get {@link #UNKNOWN}.
 */
interface ServerConnection {

  /** A server that tells nothing: never backed up, cannot be cut. */
  ServerConnection UNKNOWN =
      new ServerConnection() {
        @Override
        public boolean isBackedUp() {
          return false;
        }

        @Override
        public void cut() {
          // nothing to close: the server's own timeouts free the connection
        }

        @Override
        public void closeAfterEnd(Duration grace) {
          // likewise
        }

        @Override
        public @Nullable Executor loop() {
          return null;
        }

        @Override
        public boolean inLoop() {
          return false;
        }
      };

  /** Whether bytes for the peer pile up in the server: the peer stopped reading. */
  boolean isBackedUp();

  /** Closes the connection now, dropping whatever the server still holds for it. */
  void cut();

  /** Closes the connection once the response's end is written, or after {@code grace} at most. */
  void closeAfterEnd(Duration grace);

  /** The event loop that writes this connection, or null when the server has none to tell. */
  @Nullable Executor loop();

  /** Whether the calling thread is {@link #loop()}'s. */
  boolean inLoop();
}
