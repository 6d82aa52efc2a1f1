package io.sseservice;

/**
 * A connect that the service refused before the stream opened: the service is closed (or closing),
 * or the connection ended before its response could be committed. The transport was not touched,
 * so the adapter answers the request itself with {@link #status()}; the adapters' ready handlers
 * do (503 with the message).
 *
 * <p>Thread-safety: immutable once thrown.
 */
public class ConnectRefusedException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  /** The status for a service that is closed or closing. */
  public static final int SERVICE_UNAVAILABLE = 503;

  private final int status;

  /** Creates a refusal with the HTTP status to answer and a message naming the reason. */
  public ConnectRefusedException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** Returns the HTTP status an adapter answers the request with. */
  public int status() {
    return status;
  }
}
