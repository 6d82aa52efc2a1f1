package io.sseservice.examples.springmvc;

import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.servlet.ServletSse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The seed's Nest {@code SseController} and its {@code processUpdate}: {@code GET /sse} opens a
 * stream whose client id is the authenticated user, so each of a user's devices gets their
 * events; {@code POST /notify/{userId}} sends to every connection of one user;
 * {@code POST /broadcast} sends to everyone. JSON bodies go out as JSON, through the Jackson
 * codec the starter configures over Spring's {@code ObjectMapper}.
 *
 * <p>Thread-safety: thread-safe; {@link SseService} is.
 */
@RestController
public class NotificationController {

  private static final Logger LOG = LoggerFactory.getLogger(NotificationController.class);

  private final SseService service;

  /** Serves streams and sends through {@code service}. */
  public NotificationController(SseService service) {
    this.service = service;
  }

  /**
   * Opens the caller's event stream (the seed's {@code connectSSE}). Returns at once: the
   * connection owns the response from here on, and no container thread waits on it.
   */
  @GetMapping(path = "/sse", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  public void sse(HttpServletRequest request, HttpServletResponse response,
      @Nullable Principal principal) throws IOException {
    if (principal == null) { // no Spring Security, or a permitAll() path: there is no user
      response.sendError(HttpServletResponse.SC_UNAUTHORIZED, "sign in to open your stream");
      return;
    }
    String user = principal.getName();
    ServletSse.connect(service, request, response, ConnectOptions.builder()
        .clientId(user)
        .onDisconnect(() -> LOG.info("{} disconnected", user))
        .build());
  }

  /** Sends {@code payload} to every connection of {@code userId} (the seed's {@code sendSSEToClient}). */
  @PostMapping("/notify/{userId}")
  public Map<String, Integer> notify(@PathVariable("userId") String userId,
      @RequestBody Map<String, Object> payload) {
    return Map.of("reached", service.sendToClient(userId, payload));
  }

  /** Sends {@code payload} to everyone (the seed's {@code sendSSEToAll}). */
  @PostMapping("/broadcast")
  public Map<String, Integer> broadcast(@RequestBody Map<String, Object> payload) {
    return Map.of("reached", service.sendToAll(payload));
  }
}
