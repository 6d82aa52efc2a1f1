package io.sseservice.servlet;

import static java.util.Objects.requireNonNull;

import io.sseservice.ConnectOptions;
import io.sseservice.ConnectRefusedException;
import io.sseservice.SseService;
import io.sseservice.internal.Admission;
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
 * an {@link IllegalArgumentException} from it becomes 400; other methods than {@code GET} 405; a
 * closed service, or a connect that loses the race with its close, 503.
 *
 * <p>Thread-safety: thread-safe, as servlets must be.
 */
public class SseServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  private final transient SseService service;
  private final transient Function<HttpServletRequest, @Nullable ConnectOptions> options;

  /** Creates a servlet that connects with the options {@code options} gives for each request. */
  public SseServlet(
      SseService service, Function<HttpServletRequest, @Nullable ConnectOptions> options) {
    this.service = requireNonNull(service, "service");
    this.options = requireNonNull(options, "options");
  }

  /** Creates a servlet that connects every request with default options. */
  public SseServlet(SseService service) {
    this(service, request -> ConnectOptions.defaults());
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Admission.Decision decision =
        Admission.decide(service, request.getMethod(), () -> options.apply(request));
    if (decision.refused()) {
      // a refusing function may have answered itself (a redirect, a challenge)
      if (!decision.optionsRefused() || !response.isCommitted()) {
        decision.headers().forEach(response::setHeader);
        refuse(response, decision.status(), decision.message());
      }
      return;
    }
    try {
      ServletSse.connect(service, request, response, decision.admitted());
    } catch (ConnectRefusedException e) {
      refuse(response, e.status(), Admission.refusal(e).message()); // lost the race with close()
    }
  }

  /**
   * Answers {@code status} with {@code message} as plain text. Not {@code sendError}: a
   * container renders that as an error page chosen by the request's {@code Accept}, and for the
   * {@code text/event-stream} that every {@code EventSource} asks for Jetty writes an empty body,
   * so the reason (which limit, which field) never reached the client.
   */
  private static void refuse(HttpServletResponse response, int status, String message)
      throws IOException {
    response.resetBuffer();
    response.setStatus(status);
    response.setContentType("text/plain;charset=utf-8");
    response.getWriter().write(message);
  }
}
