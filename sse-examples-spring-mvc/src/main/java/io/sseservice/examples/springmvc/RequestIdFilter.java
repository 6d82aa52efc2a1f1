package io.sseservice.examples.springmvc;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every response an {@value #HEADER} header, as tracing filters do. It shows the seed's
 * {@code originalResHeaders}: headers the framework set before the controller ran pass through
 * to the event stream.
 *
 * <p>Thread-safety: stateless and thread-safe.
 */
@Component
public class RequestIdFilter extends OncePerRequestFilter {

  /** The response header this filter sets. */
  public static final String HEADER = "X-Request-Id";

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    response.setHeader(HEADER, UUID.randomUUID().toString());
    chain.doFilter(request, response);
  }
}
