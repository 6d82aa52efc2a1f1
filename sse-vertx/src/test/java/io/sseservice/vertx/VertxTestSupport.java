package io.sseservice.vertx;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;

/** Small helpers shared by the tests. */
final class VertxTestSupport {

  private VertxTestSupport() {}

  /** Waits for a Vert.x future from a test thread (not a Vert.x thread). */
  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The Vert.x version on the class path, e.g. "5.0.7". */
  static String vertxVersion() {
    return String.valueOf(Vertx.class.getPackage().getImplementationVersion());
  }

  /** Reads everything up to the end of the stream. */
  static String readToEnd(InputStream in) throws Exception {
    return new String(in.readAllBytes(), UTF_8);
  }
}
