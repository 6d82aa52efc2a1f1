package io.sseservice.servlet;

import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** The kit on embedded Jetty 12 (ee10, Servlet 6.0). */
class JettyServletIT extends ServletContainerKit {

  private Server server;

  @Override
  protected int startContainer(SseServlet servlet) throws Exception {
    server = new Server(new QueuedThreadPool(CONTAINER_THREADS, 2));
    ServerConnector connector = new ServerConnector(server, 1, 1);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    ServletHolder holder = new ServletHolder(servlet);
    holder.setAsyncSupported(true);
    context.addServlet(holder, "/sse");
    FilterHolder filter = new FilterHolder(new FrameworkHeaderFilter());
    filter.setAsyncSupported(true);
    context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
    server.setHandler(context);
    server.start();
    return connector.getLocalPort();
  }

  @Override
  protected void stopServer() throws Exception {
    server.stop();
  }
}
