package io.sseservice.internal;

import io.sseservice.ConnectOptions;
import io.sseservice.ConnectRefusedException;
import io.sseservice.SseService;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The one admission path of every adapter's ready handler: which requests become streams and how
 * the others are answered, so that every stack answers alike. A method other than {@code GET} gets
 * 405; options that the application's function refuses with an {@link IllegalArgumentException}
 * 400 (with its message); a null from the function 403 (unless it answered itself); a closed
 * service 503, and so does a connect that loses the race with {@code close()}; a connect over one
 * of the service's limits gets the {@link ConnectRefusedException}'s status (429 or 503) and its
 * message, which names the limit.
 *
 * <pre>{@code
 * Admission.Decision d = Admission.decide(service, method, () -> options.apply(request));
 * if (d.refused()) { answer(d.status(), d.message(), d.headers()); return; }
 * try { connect(d.options()); } catch (ConnectRefusedException e) { Refusal r = Admission.refusal(e); ... }
 * }</pre>
 *
 * <p>Thread-safety: stateless.
 */
public final class Admission {

  private Admission() {}

  /**
   * What to do with one request: connect with {@link #options()}, or answer {@link #status()}
   * with {@link #message()} and {@link #headers()}.
   *
   * @param options the options to connect with, when admitted
   * @param status the status to answer when refused (0 when admitted)
   * @param message the plain-text reason when refused
   * @param headers headers to add to the refusal (e.g. {@code Allow})
   * @param optionsRefused whether the application's function returned null: it may have
   *     answered already, so the adapter answers only if the response is not committed
   */
  public record Decision(
      @Nullable ConnectOptions options,
      int status,
      String message,
      Map<String, String> headers,
      boolean optionsRefused) {

    /** Whether the request must be answered instead of connected. */
    public boolean refused() {
      return options == null;
    }

    /** Returns the options to connect with; only for a decision that was not {@link #refused()}. */
    public ConnectOptions admitted() {
      if (options == null) {
        throw new IllegalStateException("refused (" + status + "): " + message);
      }
      return options;
    }
  }

  /** Decides a request of {@code method}, asking {@code options} only for a {@code GET}. */
  public static Decision decide(
      SseService service, String method, Supplier<@Nullable ConnectOptions> options) {
    if (!"GET".equals(method)) {
      return refuse(405, "method not allowed: use GET", Map.of("Allow", "GET"), false);
    }
    if (service.isClosed()) {
      return refuse(
          ConnectRefusedException.SERVICE_UNAVAILABLE, "service is shutting down", Map.of(), false);
    }
    ConnectOptions connectOptions;
    try {
      connectOptions = options.get();
    } catch (IllegalArgumentException e) {
      return refuse(400, String.valueOf(e.getMessage()), Map.of(), false);
    }
    if (connectOptions == null) {
      return refuse(403, "forbidden", Map.of(), true);
    }
    return new Decision(connectOptions, 0, "", Map.of(), false);
  }

  /** Returns how to answer a connect the service refused: its status, and its message. */
  public static Decision refusal(ConnectRefusedException e) {
    return refuse(e.status(), String.valueOf(e.getMessage()), Map.of(), false);
  }

  private static Decision refuse(
      int status, String message, Map<String, String> headers, boolean optionsRefused) {
    return new Decision(null, status, message, headers, optionsRefused);
  }
}
