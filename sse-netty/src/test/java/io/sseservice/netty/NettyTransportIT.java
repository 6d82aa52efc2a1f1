package io.sseservice.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseservice.ConnectOptions;
import io.sseservice.SseService;
import io.sseservice.test.TransportCompatibilityKit;
import java.net.URI;
import java.util.Map;
import java.util.function.Function;

/** The transport compatibility kit on Netty over HTTP/1.1. */
class NettyTransportIT extends TransportCompatibilityKit {

  private NettySseServer server;

  @Override
  protected URI startServer(
      SseService service, Function<Map<String, String>, ConnectOptions> options) {
    // the netty-4.1 execution swaps the Netty jars: prove the run is on the line it claims
    assertThat(io.netty.util.Version.identify().get("netty-common").artifactVersion())
        .startsWith(System.getProperty("expected.netty", "4.2."));
    server =
        NettySseServer.builder(service)
            .host("127.0.0.1")
            .port(0)
            .workerThreads(2)
            .options(
                request ->
                    options
                        .apply(
                            parseQuery(
                                new io.netty.handler.codec.http.QueryStringDecoder(request.uri())
                                    .rawQuery()))
                        .toBuilder()
                        // what a framework in front would have added: passed through, ours win
                        .header(FRAMEWORK_HEADER, "kept")
                        .header("Cache-Control", "private")
                        .build())
            .start();
    return URI.create("http://127.0.0.1:" + server.port() + "/sse");
  }

  @Override
  protected void stopServer() {
    server.close();
  }
}
