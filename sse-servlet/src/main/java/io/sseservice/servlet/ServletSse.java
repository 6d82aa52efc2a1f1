package io.sseservice.servlet;

import static java.util.Objects.requireNonNull;

import io.sseservice.ConnectOptions;
import io.sseservice.SseConnection;
import io.sseservice.SseService;
import io.sseservice.internal.LastEventIds;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Opens event streams on Servlet requests: asynchronously ({@code AsyncContext} without timeout)
 * and without blocking ({@code WriteListener}), so no container thread is held per connection.
 *
 * <pre>{@code
 * // in a servlet, a Spring MVC controller, a Javalin handler...
 * SseConnection connection = ServletSse.connect(service, request, response,
 *     ConnectOptions.builder().clientId(request.getUserPrincipal().getName()).build());
 * }</pre>
 *
 * <p>Headers that filters or the framework already set on the response (CORS, security, tracing)
 * pass through; the SSE headers win on the same name. The request must be async-capable: register
 * the servlet and its filters with {@code asyncSupported=true} (Spring MVC and Javalin do).
 *
 * <p>A client that goes away is noticed at a failed write: the Servlet API has no notification
 * for a closed connection, and Tomcat (10.1, 11) and Jetty 12 watch no socket of an async request
 * whose body was read (a GET's at once). TCP accepts the first write after the client's FIN, the
 * reset that draws fails the second; on an idle stream these are keep-alives, so a gone client
 * leaves after about two keep-alive intervals (at most three): shorten the interval to notice
 * sooner.
 *
 * <p>Thread-safety: stateless and thread-safe.
 */
public final class ServletSse {

  private ServletSse() {}

  /**
   * Opens an event stream on {@code request}/{@code response} and registers it with
   * {@code service} (the seed's {@code connectSSE}). The client's last event id is read from the
   * {@code Last-Event-ID} header, else the {@code lastEventId} query parameter, unless
   * {@code options} carries one. Return from the handler afterwards without writing to the
   * response: the connection owns it until it ends.
   *
   * @throws IllegalStateException if the request is not async-capable, or the service is closed
   */
  public static SseConnection connect(
      SseService service,
      HttpServletRequest request,
      HttpServletResponse response,
      ConnectOptions options) {
    requireNonNull(service, "service");
    requireNonNull(request, "request");
    requireNonNull(response, "response");
    requireNonNull(options, "options");
    if (!request.isAsyncSupported()) {
      throw new IllegalStateException(
          "request to "
              + request.getRequestURI()
              + " is not async-capable:"
              + " register the servlet and every filter on its path with asyncSupported=true");
    }
    ConnectOptions withLastEventId =
        LastEventIds.apply(
            options,
            request.getHeader(ConnectOptions.LAST_EVENT_ID_HEADER),
            request.getQueryString());
    return service.connect(new ServletTransport(request, response), withLastEventId);
  }
}
