package io.sseservice.servlet;

import io.sseservice.test.TransportCompatibilityKit;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Sets headers the way a CORS, security or tracing filter would, before the SSE servlet runs. */
final class FrameworkHeaderFilter implements Filter {

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletResponse http = (HttpServletResponse) response;
    http.setHeader(TransportCompatibilityKit.FRAMEWORK_HEADER, "kept");
    http.setHeader("Cache-Control", "private");
    chain.doFilter(request, response);
  }
}
