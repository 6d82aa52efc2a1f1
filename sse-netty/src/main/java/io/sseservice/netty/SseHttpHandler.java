package io.sseservice.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.sseservice.ConnectOptions;
import io.sseservice.ConnectRefusedException;
import io.sseservice.SseService;
import io.sseservice.internal.Admission;
import io.sseservice.internal.LogText;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Answers full HTTP requests on one channel (HTTP/1.1 connection or HTTP/2 stream): a request
 * for the stream path goes through the shared admission (a {@code GET} opens an event stream),
 * a request for a path of the application's routes gets that route's response (or 405), and any
 * other request goes on down the pipeline, to the application's fallback handler or to
 * {@link UnhandledRequests} (404).
 *
 * <p>With a route executor, a route runs off the event loop; until it answered, the channel reads
 * nothing more and the requests already decoded (HTTP/1.1 pipelining) wait here, so that the
 * responses keep the order of the requests.
 *
 * <p>Thread-safety: one instance per channel; its state is touched on the channel's event loop
 * only (a route executor's task hands its response back to the loop).
 */
final class SseHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final System.Logger LOG = System.getLogger("io.sseservice");

  private final SseService service;
  private final String path;
  private final Function<FullHttpRequest, @Nullable ConnectOptions> options;
  private final Routes routes;
  private final @Nullable Executor routeExecutor;
  private final @Nullable RequestTimeouts timeouts;

  /** Requests read while a route runs on the route executor, in order; each retained. */
  private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();

  private boolean offloaded;

  SseHttpHandler(
      SseService service,
      String path,
      Function<FullHttpRequest, @Nullable ConnectOptions> options,
      Routes routes,
      @Nullable Executor routeExecutor,
      @Nullable RequestTimeouts timeouts) {
    this.service = service;
    this.timeouts = timeouts;
    this.path = path;
    this.options = options;
    this.routes = routes;
    this.routeExecutor = routeExecutor;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (offloaded) {
      waiting.add(request.retain());
    } else {
      handle(ctx, request);
    }
  }

  private void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (request.decoderResult().isFailure()) {
      refuseUndecoded(ctx, request);
      return;
    }
    String requestPath = new QueryStringDecoder(request.uri()).path();
    if (requestPath.equals(path)) {
      stream(ctx, request);
    } else if (routes.has(requestPath)) {
      route(ctx, request, requestPath);
    } else {
      ctx.fireChannelRead(request.retain()); // the fallback's, or 404 at the end of the pipeline
    }
  }

  /**
   * Answers a request the decoder rejected (its headers may be cut off, Last-Event-ID among them:
   * never a stream, nor a route) and closes; a request cut short by the peer's close gets nothing.
   */
  private static void refuseUndecoded(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!ctx.channel().isActive()
        || request.decoderResult().cause() instanceof PrematureChannelClosureException) {
      ctx.close();
      return;
    }
    HttpResponseStatus status = NettySse.decoderFailureStatus(request);
    Responses.sendAndClose(
        ctx, Responses.plain(status, status.reasonPhrase().toLowerCase(Locale.ROOT)));
  }

  private void stream(ChannelHandlerContext ctx, FullHttpRequest request) {
    Admission.Decision decision =
        Admission.decide(service, request.method().name(), () -> options.apply(request));
    if (decision.refused()) {
      refuse(ctx, decision);
      return;
    }
    try {
      NettySse.connect(service, ctx.channel(), request, decision.admitted(), true);
    } catch (ConnectRefusedException e) {
      refuse(ctx, Admission.refusal(e)); // lost the race with close()
      return;
    }
    if (timeouts != null) {
      timeouts.stop(); // a stream is written only: the core's write timeout and keep-alive watch it
    }
    if (!(ctx.channel() instanceof Http2StreamChannel)) {
      // The connection now carries only this stream and reads no more requests: the upgrade
      // handler, the aggregator and the timeouts' message handler would sit in every idle
      // connection's pipeline for nothing. (The transport replaced the codec already: it frames
      // the stream's chunks itself.)
      ChannelPipeline pipeline = ctx.pipeline();
      if (timeouts != null && pipeline.context(timeouts.messages) != null) {
        pipeline.remove(timeouts.messages);
      }
      if (pipeline.get(HttpServerUpgradeHandler.class) != null) {
        pipeline.remove(HttpServerUpgradeHandler.class);
      }
      if (pipeline.get(HttpObjectAggregator.class) != null) {
        pipeline.remove(HttpObjectAggregator.class);
      }
    }
  }

  private static void refuse(ChannelHandlerContext ctx, Admission.Decision decision) {
    FullHttpResponse response =
        Responses.plain(HttpResponseStatus.valueOf(decision.status()), decision.message());
    decision.headers().forEach(response.headers()::set);
    Responses.sendAndClose(ctx, response);
  }

  private void route(ChannelHandlerContext ctx, FullHttpRequest request, String requestPath) {
    Function<FullHttpRequest, FullHttpResponse> handler =
        routes.find(request.method(), requestPath);
    if (handler == null) {
      String allowed = routes.allowed(requestPath);
      FullHttpResponse response =
          Responses.plain(
              HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed: use " + allowed);
      response.headers().set("Allow", allowed);
      Responses.send(ctx, request, response);
      return;
    }
    if (routeExecutor == null) {
      Responses.send(ctx, request, respond(handler, request, requestPath));
    } else {
      offload(ctx, request, handler, requestPath, routeExecutor);
    }
  }

  private static FullHttpResponse respond(
      Function<FullHttpRequest, FullHttpResponse> handler,
      FullHttpRequest request,
      String requestPath) {
    try {
      FullHttpResponse response = handler.apply(request);
      if (response == null) {
        throw new NullPointerException("the route returned null (expected: a response)");
      }
      return response;
    } catch (RuntimeException e) {
      // the path is the peer's, percent-decoded: %0A would start a forged log line
      LOG.log(
          System.Logger.Level.WARNING,
          "route " + request.method() + " " + LogText.quote(requestPath) + " threw; answered 500",
          e);
      return Responses.plain(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");
    }
  }

  private void offload(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      Function<FullHttpRequest, FullHttpResponse> handler,
      String requestPath,
      Executor executor) {
    offloaded = true;
    ctx.channel().config().setAutoRead(false); // the next request waits for this one's answer
    request.retain(); // released by finish(), on the loop
    try {
      executor.execute(
          () -> {
            FullHttpResponse response = respond(handler, request, requestPath);
            try {
              ctx.executor().execute(() -> finish(ctx, request, response));
            } catch (RejectedExecutionException e) { // the loop is shut down: the channel is gone
              response.release();
              request.release();
            }
          });
    } catch (RejectedExecutionException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "the route executor refused "
              + request.method()
              + " "
              + LogText.quote(requestPath)
              + "; answered 503",
          e);
      finish(ctx, request, Responses.plain(HttpResponseStatus.SERVICE_UNAVAILABLE, "busy"));
    }
  }

  /** Answers an offloaded route, on the loop, then handles what waited behind it. */
  private void finish(
      ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
    try {
      Responses.send(ctx, request, response);
    } finally {
      request.release();
    }
    offloaded = false;
    while (!offloaded && !waiting.isEmpty()) {
      FullHttpRequest next = waiting.poll();
      try {
        handle(ctx, next);
      } finally {
        next.release();
      }
    }
    if (!offloaded) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    for (FullHttpRequest request = waiting.poll(); request != null; request = waiting.poll()) {
      request.release();
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close(); // a broken request or connection: answered by closing, never thrown further
  }
}
