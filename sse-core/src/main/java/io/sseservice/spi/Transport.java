package io.sseservice.spi;

import java.util.Map;

/**
 * One HTTP exchange that carries an event stream, as seen by the core. Each adapter (JDK server,
 * Servlet, Netty, ...) implements this once; everything else (registry, encoding, queueing,
 * keep-alive) lives in the core.
 *
 * <p>Thread-safety: the core calls {@link #open} once, then never calls {@link #write} again
 * before the previous write's callback has run, so writes never overlap. {@link #close} may be
 * called from any thread at any time, also while a write is in flight, and more than once.
 */
public interface Transport {

  /**
   * Commits status 200 and {@code headers} (replacing headers of the same name that the host
   * framework already set, keeping all others), so the client sees the stream open.
   *
   * @param headers the response headers to set; names are case-insensitive
   * @param onPeerGone to run when the transport learns that the peer went away (closed socket,
   *     aborted request, failed write); may be run from any thread, more than once
   * @throws Exception if the response cannot be committed; the connection is then closed
   */
  void open(Map<String, String> headers, Runnable onPeerGone) throws Exception;

  /**
   * Writes {@code frames[0]} to {@code frames[count - 1]}, whole and in order, without blocking
   * the caller, then calls exactly one of {@link WriteCallback#completed()} or
   * {@link WriteCallback#failed(Throwable)}, possibly before this method returns.
   *
   * <p>Each frame is a complete encoded event (or comment) shared with every other connection it
   * was sent to: read it, never change it. The array itself belongs to the transport until the
   * callback and is reused by the core afterwards, so a transport that needs the frames later
   * (after the callback) must copy the references; slots from {@code count} on are not part of
   * the write.
   *
   * @param frames the frames to write; at least {@code count} long
   * @param count how many frames to write, at least 1
   * @param callback to call once when the frames were handed to the network, or failed
   */
  void write(byte[][] frames, int count, WriteCallback callback);

  /**
   * Runs {@code startWrite} (which takes what is queued and calls {@link #write}) on the thread
   * where this transport wants writes to start. The core calls it when a send on an application
   * thread finds the connection idle. By default it runs at once, on the caller's thread. A
   * transport with its own I/O thread (an event loop) runs it there instead: the sender then only
   * queues, and the batch, taken when the loop gets to it, holds everything queued by that time.
   * Must not block; {@code startWrite} may be run inline or later, exactly once.
   */
  default void dispatchWrite(Runnable startWrite) {
    startWrite.run();
  }

  /** Ends the response and releases the connection. Idempotent; unblocks a write in flight. */
  void close();

  /**
   * Whether this transport runs {@code onPeerGone} by itself when the peer closes or resets an
   * idle stream (Netty, Vert.x and Reactor Netty watch the socket). A transport that learns of it
   * only from a failed write (the Servlet API, the JDK's {@code HttpServer}) returns false: the
   * service then writes a keep-alive comment to each new connection one and two seconds after it
   * opened, so a client that connects and leaves at once (a reload, a connect-and-reset loop)
   * frees its socket within seconds instead of at the next keep-alive. A wrapping transport must
   * pass this on. By default true.
   */
  default boolean noticesPeerGone() {
    return true;
  }

  /**
   * Whether the protocol allows a {@code Connection} header (HTTP/1.1 does; HTTP/2 and HTTP/3
   * forbid it).
   */
  default boolean allowsConnectionHeader() {
    return true;
  }
}
