package io.sseservice;

/**
 * A connect that the service refused before the stream opened: the service is closed (or closing),
 * the connection ended before its response could be committed, or the connect would take the
 * service over one of its limits ({@link SseService.Builder#maxConnections},
 * {@link SseService.Builder#maxConnectionsPerClient},
 * {@link SseService.Builder#maxConnectionsPerGroup}, {@link SseService.Builder#maxGroups}; the
 * message names the limit and its value). The transport
 * was not touched, so the adapter answers the request itself with {@link #status()} and the
 * message; the adapters' ready handlers do: 429 for a client that has its most connections, 503
 * for the others.
 *
 * <p>Thread-safety: immutable once thrown.
 */
public class ConnectRefusedException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  /** The status for a service that is closed or closing, or a service or group that is full. */
  public static final int SERVICE_UNAVAILABLE = 503;

  /** The status for a client that has as many connections as it may. */
  public static final int TOO_MANY_REQUESTS = 429;

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
