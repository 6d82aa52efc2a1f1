package io.sseservice.servlet;

import static java.util.Objects.requireNonNull;

import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A ready servlet for plain containers: every {@code GET} becomes an event stream of the service,
 * with the options that a function derives from the request. Register it with
 * {@code asyncSupported=true}.
 *
 * <pre>{@code
 * ServletHolder holder = new ServletHolder(new SseServlet(service, request ->
 *     ConnectOptions.builder().clientId(request.getRemoteUser()).build()));
 * holder.setAsyncSupported(true);
 * context.addServlet(holder, "/sse");
 * }</pre>
 *
 * <p>When the function returns null the request is refused with 403 (unless it already answered);
 * an {@link IllegalArgumentException} from it becomes 400; a closed service answers 503.
 *
 * <p>Thread-safety: thread-safe, as servlets must be.
 */
public class SseServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  private final transient SseService service;
  private final transient Function<HttpServletRequest, @Nullable ConnectOptions> options;

  /** Creates a servlet that connects with the options {@code options} gives for each request. */
  public SseServlet(SseService service,
      Function<HttpServletRequest, @Nullable ConnectOptions> options) {
    this.service = requireNonNull(service, "service");
    this.options = requireNonNull(options, "options");
  }

  /** Creates a servlet that connects every request with default options. */
  public SseServlet(SseService service) {
    this(service, request -> ConnectOptions.defaults());
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    ConnectOptions connectOptions;
    try {
      connectOptions = options.apply(request);
    } catch (IllegalArgumentException e) {
      response.sendError(400, e.getMessage());
      return;
    }
    if (connectOptions == null) {
      if (!response.isCommitted()) {
        response.sendError(403);
      }
      return;
    }
    if (service.isClosed()) {
      response.sendError(503, "service is shutting down");
      return;
    }
    ServletSse.connect(service, request, response, connectOptions);
  }
}
