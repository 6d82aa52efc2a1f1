/**
 * sse-service: Server-Sent Events for any Java web stack. Start with
 * {@link io.sseservice.SseService#builder()}; connect exchanges through an adapter module
 * ({@code sse-jdk}, ...); send with {@link io.sseservice.SseService#sendToClient},
 * {@link io.sseservice.SseService#sendToAll} or {@link io.sseservice.SseService#send}.
 *
 * <p>Null policy: nothing is null unless marked {@code @Nullable}.
 */
@NullMarked
package io.sseservice;

import org.jspecify.annotations.NullMarked;
