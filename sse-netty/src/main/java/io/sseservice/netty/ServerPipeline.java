package io.sseservice.netty;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.AsciiString;
import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Builds the pipelines of {@link NettySseServer}: each HTTP/1.1 connection, and each HTTP/2
 * stream (h2c by upgrade or by prior knowledge), ends in the same handlers, so the stream, the
 * routes and the fallback answer alike over both: aggregator, {@link SseHttpHandler}, the
 * application's fallback handler if any, {@link UnhandledRequests}. An HTTP/1.1 connection also
 * gets {@link RequestTimeouts}.
 *
 * <p>Thread-safety: immutable; its initializers run on each new channel's event loop.
 */
final class ServerPipeline extends ChannelInitializer<SocketChannel> {

  static final int MAX_REQUEST_BYTES = 64 * 1024;

  private final SseService service;
  private final String path;
  private final Function<FullHttpRequest, @Nullable ConnectOptions> options;
  private final Routes routes;
  private final @Nullable Executor routeExecutor;
  private final @Nullable Supplier<? extends ChannelHandler> fallback;
  private final long requestReadNanos;
  private final long idleNanos;

  ServerPipeline(
      SseService service,
      String path,
      Function<FullHttpRequest, @Nullable ConnectOptions> options,
      Routes routes,
      @Nullable Executor routeExecutor,
      @Nullable Supplier<? extends ChannelHandler> fallback,
      long requestReadNanos,
      long idleNanos) {
    this.service = service;
    this.path = path;
    this.options = options;
    this.routes = routes;
    this.routeExecutor = routeExecutor;
    this.fallback = fallback;
    this.requestReadNanos = requestReadNanos;
    this.idleNanos = idleNanos;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    RequestTimeouts timeouts = new RequestTimeouts(requestReadNanos, idleNanos);
    ch.pipeline().addLast(timeouts.bytes);
    HttpServerCodec http1 = new HttpServerCodec();
    HttpServerUpgradeHandler upgrade =
        new HttpServerUpgradeHandler(
            http1,
            protocol ->
                AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                    ? new Http2ServerUpgradeCodec(
                        Http2FrameCodecBuilder.forServer().build(),
                        new Http2MultiplexHandler(streamInitializer()))
                    : null,
            MAX_REQUEST_BYTES);
    ch.pipeline()
        .addLast(
            new CleartextHttp2ServerUpgradeHandler(
                http1,
                upgrade,
                new ChannelInitializer<Channel>() { // prior knowledge: straight to HTTP/2
                  @Override
                  protected void initChannel(Channel h2) {
                    h2.pipeline()
                        .addLast(
                            Http2FrameCodecBuilder.forServer().build(),
                            new Http2MultiplexHandler(streamInitializer()));
                  }
                }));
    ch.pipeline().addLast(timeouts.messages);
    addRequestHandlers(ch.pipeline(), timeouts);
  }

  private ChannelInitializer<Http2StreamChannel> streamInitializer() {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Http2StreamChannel stream) {
        stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true));
        addRequestHandlers(stream.pipeline(), null); // the connection's timeouts have ended
      }
    };
  }

  private void addRequestHandlers(ChannelPipeline pipeline, @Nullable RequestTimeouts timeouts) {
    pipeline.addLast(
        new HttpObjectAggregator(MAX_REQUEST_BYTES),
        new SseHttpHandler(service, path, options, routes, routeExecutor, timeouts));
    if (fallback != null) {
      pipeline.addLast(requireNonNull(fallback.get(), "the fallback supplier returned null"));
    }
    pipeline.addLast(UnhandledRequests.INSTANCE);
  }
}
