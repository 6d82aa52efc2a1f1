/**
 * Server-Sent Events on Spring WebFlux: {@link io.sseservice.webflux.WebFluxSse} opens a stream
 * from an annotated controller or, as a {@code HandlerFunction}, from a router function.
 */
@NullMarked
package io.sseservice.webflux;

import org.jspecify.annotations.NullMarked;
