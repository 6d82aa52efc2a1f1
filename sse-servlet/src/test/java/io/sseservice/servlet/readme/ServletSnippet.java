package io.sseservice.servlet.readme;

import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.servlet.ServletSse;
import io.sseservice.servlet.SseServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/** The README's Servlet snippet, compiled by the build (ReadmeSnippetsTest checks the README). */
final class ServletSnippet {

  private ServletSnippet() {}

  static void register(SseService service, ServletContextHandler context) {
    // a ready servlet; register it (and the filters on its path) with asyncSupported=true
    ServletHolder sse = new ServletHolder(new SseServlet(service, request ->
        request.getRemoteUser() == null ? null                       // no user: 403
            : ConnectOptions.builder().clientId(request.getRemoteUser()).build()));
    sse.setAsyncSupported(true);
    context.addServlet(sse, "/sse");
  }

  static void inYourOwnServlet(SseService service, HttpServletRequest request,
      HttpServletResponse response, String userId) {
    // or inside your own servlet / controller:
    ServletSse.connect(service, request, response, ConnectOptions.builder().clientId(userId).build());
  }
}
