package io.sseservice.webflux;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.util.ClassUtils;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * What Spring's reactive HTTP API does not tell: the request's protocol version, and the server's
 * own connection. Thread-safety: stateless.
 *
 * <p>Asks the server underneath (Reactor Netty, or a Servlet container), each through
 * a nested class that is loaded only when that server's classes are present; any other server
 * gets the safe defaults (a {@code Connection} header is allowed; {@link ServerConnection#UNKNOWN}).
 */
final class NativeServer {

  private static final boolean REACTOR_NETTY =
      isPresent("reactor.netty.http.server.HttpServerRequest");
  private static final boolean SERVLET = isPresent("jakarta.servlet.http.HttpServletRequest");

  private NativeServer() {}

  /** Whether the request came over HTTP/1.x, where a {@code Connection} header is allowed. */
  static boolean allowsConnectionHeader(ServerHttpRequest request) {
    Object nativeRequest = nativeOf(request);
    return !(REACTOR_NETTY && ReactorNetty.isHttp2OrLater(nativeRequest))
        && !(SERVLET && Servlet.isHttp2OrLater(nativeRequest));
  }

  /**
   * The connection under {@code response}; call it before the response ends (Reactor Netty lets
   * go of the channel then).
   */
  static ServerConnection connectionOf(ServerHttpResponse response) {
    ServerConnection connection = null;
    if (REACTOR_NETTY) {
      connection = ReactorNetty.connectionOf(nativeOf(response));
    }
    return connection != null ? connection : ServerConnection.UNKNOWN;
  }

  private static @Nullable Object nativeOf(ServerHttpRequest request) {
    try {
      return ServerHttpRequestDecorator.getNativeRequest(request);
    } catch (RuntimeException e) {
      return null; // a mock, or a decorator that hides it: nothing to ask
    }
  }

  private static @Nullable Object nativeOf(ServerHttpResponse response) {
    try {
      return ServerHttpResponseDecorator.getNativeResponse(response);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static boolean isPresent(String className) {
    return ClassUtils.isPresent(className, NativeServer.class.getClassLoader());
  }

  private static final class ReactorNetty {
    static boolean isHttp2OrLater(@Nullable Object nativeRequest) {
      return nativeRequest instanceof HttpServerRequest request
          && request.version().majorVersion() >= 2;
    }

    static @Nullable ServerConnection connectionOf(@Nullable Object nativeResponse) {
      if (!(nativeResponse instanceof HttpServerResponse response)) {
        return null;
      }
      NettyConnection[] connection = {null};
      response.withConnection(c -> connection[0] = new NettyConnection(c)); // runs at once
      return connection[0];
    }
  }

  /** A Reactor Netty exchange: its channel (an HTTP/2 stream's own child channel on h2). */
  private static final class NettyConnection implements ServerConnection {
    private final reactor.netty.Connection exchange;
    private final Channel channel;

    NettyConnection(reactor.netty.Connection exchange) {
      this.exchange = exchange;
      this.channel = exchange.channel(); // now: once the exchange ends it no longer hands it out
    }

    @Override
    public boolean isBackedUp() {
      return !channel.isWritable();
    }

    @Override
    public void cut() {
      channel.close();
    }

    @Override
    public void closeAfterEnd(Duration grace) {
      ScheduledFuture<?> deadline =
          channel.eventLoop().schedule(this::cut, grace.toMillis(), TimeUnit.MILLISECONDS);
      // Reactor Netty terminates the exchange once the last chunk is written
      exchange.onTerminate().subscribe(null, error -> closeNow(deadline), () -> closeNow(deadline));
    }

    @Override
    public Executor loop() {
      return channel.eventLoop();
    }

    @Override
    public boolean inLoop() {
      return channel.eventLoop().inEventLoop();
    }

    private void closeNow(ScheduledFuture<?> deadline) {
      deadline.cancel(false);
      channel.close();
    }
  }

  private static final class Servlet {
    static boolean isHttp2OrLater(@Nullable Object nativeRequest) {
      return nativeRequest instanceof HttpServletRequest request
          && (request.getProtocol().startsWith("HTTP/2")
              || request.getProtocol().startsWith("HTTP/3"));
    }
  }
}
