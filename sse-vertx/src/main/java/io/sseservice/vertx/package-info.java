/**
 * Server-Sent Events on Vert.x: {@link io.sseservice.vertx.VertxSse#connect} inside any request
 * handler, {@link io.sseservice.vertx.VertxSse#handler} as a Vert.x Web route handler.
 */
@NullMarked
package io.sseservice.vertx;

import org.jspecify.annotations.NullMarked;
